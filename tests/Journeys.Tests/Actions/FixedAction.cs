using System.Text.Json;
using Journeys.Delivery;

namespace Journeys.Tests.Actions;

/// <summary>An action for tests: answers each attempt from <see cref="Answers"/> in turn (the last one again once they
/// run out; <c>{}</c> done when there are none) and keeps every request it got.</summary>
internal sealed class FixedAction(string name, params ActionResult[] answers) : IJourneyAction
{
    private int _calls;

    public string Name => name;

    public ActionResult[] Answers { get; } = answers;

    public List<ActionRequest> Requests { get; } = [];

    /// <summary>When set, each attempt waits for it first (a call the test holds in flight).</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>Completed when the first attempt starts.</summary>
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static ActionResult Done(string json) => ActionResult.Done(JsonDocument.Parse(json).RootElement.Clone());

    public async ValueTask<ActionResult> InvokeAsync(ActionRequest request, CancellationToken cancellationToken)
    {
        lock (Requests)
        {
            Requests.Add(request);
        }

        Started.TrySetResult();
        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        var n = Interlocked.Increment(ref _calls) - 1;
        return Answers.Length == 0 ? ActionResult.Done() : Answers[Math.Min(n, Answers.Length - 1)];
    }
}
