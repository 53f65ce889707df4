using System.Collections.Concurrent;
using System.Text.Json;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Language.Loading;
using Journeys.State;

namespace Journeys.Orleans.Tests;

/// <summary>A <c>call:</c> step on a cluster: the action registered in <see cref="JourneysSiloOptions.Actions"/> is
/// called by the customer's shard through its outbox, and the answer moves the run along <c>$done</c> or
/// <c>$failed</c>.</summary>
public sealed class ClusterCallTests
{
    private const string Credit = """
        journey: credit
        version: 1
        entry: { on: ordered }
        start: credit
        steps:
          credit:
            call: { action: loyalty-credit, with: { points: "200" } }
            then:
              - { on: $done, if: "result.status == 'ok'", goto: thanks }
              - { on: $failed, goto: sorry }
          thanks:
            send: { channel: push, template: credit/thanks }
          sorry:
            send: { channel: push, template: credit/sorry }
        """;

    [Fact]
    public async Task CallStep_OnTwoSilos_TheShardCallsTheActionOnce_AndTheAnswerMovesTheRun()
    {
        var catalog = JourneyLoader.LoadYaml(("credit.yaml", Credit)).ThrowIfInvalid();
        var action = new LoyaltyCredit();
        await using var run = await ClusterRun.StartAsync(catalog, silos: 2, action: action);
        var t0 = run.Time.GetUtcNow();
        var customers = Enumerable.Range(0, 24).Select(i => $"k{i}").ToList();

        await run.Journeys.PublishAsync([.. customers.Select(c => new CustomerEvent(c, "ordered", t0))]);
        await run.Journeys.DrainAsync();

        // Each customer was called once, with the step's arguments and a key that names them.
        Assert.Equal(customers.Order(StringComparer.Ordinal), action.Calls.Keys.Order(StringComparer.Ordinal));
        Assert.All(action.Calls, call =>
        {
            Assert.Equal(200.0, call.Value.Arguments["points"]);
            Assert.Contains(call.Key, call.Value.IdempotencyKey, StringComparison.Ordinal);
        });

        // Even ids were credited ($done, status ok: thanks); odd ids refused for good ($failed: sorry).
        foreach (var customer in customers)
        {
            var credited = int.Parse(customer[1..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0;
            var mine = run.Decisions.Where(d => d.CustomerId == customer).ToList();
            Assert.Contains(mine, d => d.Kind == (credited ? DecisionKind.Called : DecisionKind.Failed) && d.Step == "credit");
            Assert.Contains(mine, d => d.Kind == DecisionKind.Sent && d.Step == (credited ? "thanks" : "sorry"));
        }
    }

    private sealed class LoyaltyCredit : IJourneyAction
    {
        public ConcurrentDictionary<string, ActionRequest> Calls { get; } = new(StringComparer.Ordinal);

        public string Name => "loyalty-credit";

        public ValueTask<ActionResult> InvokeAsync(ActionRequest request, CancellationToken cancellationToken)
        {
            Assert.True(Calls.TryAdd(request.CustomerId, request), $"{request.CustomerId} was called twice");
            var credited = int.Parse(request.CustomerId[1..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0;
            return ValueTask.FromResult(credited
                ? ActionResult.Done(JsonSerializer.SerializeToElement(new { status = "ok" }))
                : ActionResult.Permanent("not a member"));
        }
    }
}
