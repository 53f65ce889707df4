using Journeys.Channels;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Sqlite;
using Journeys.State;
using Journeys.Tests.Runtime;
using Journeys.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Tests.Channels.AgentTasks;

/// <summary>The agent-task channel over the SQLite call-back queue: tasks recorded durably with their assignment and due
/// time, one per send, and the completion event closing the loop in a real engine on virtual time.</summary>
public sealed class AgentTaskChannelTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string QueuePath => Path.Combine(_folder.Path, "tasks.db");

    private static OutboundMessage Message(string key, Dictionary<string, string>? fields = null, string? body = "Call Ada back about her first order") => new()
    {
        IdempotencyKey = key,
        Channel = "agent-task",
        Template = "nurture/consult-call",
        CustomerId = "c42",
        JourneyId = "nurture",
        JourneyVersion = 2,
        Step = "consult",
        Priority = 3,
        Timestamp = T0,
        Subject = "Welcome call: Ada",
        Body = body,
        Fields = fields ?? new Dictionary<string, string> { ["due"] = "P7D", ["queue"] = "new-customers", ["completedEvent"] = "consult_completed", ["script"] = "welcome-v2" },
        Traits = new Dictionary<string, object?> { ["owner"] = "agent-7", ["phone"] = "+8613800138000" },
    };

    [Fact]
    public async Task Send_RecordsATaskWithItsAssignmentDueTimeAndCompletionEvent()
    {
        var sink = new SqliteAgentTaskSink(QueuePath);

        var result = await new AgentTaskChannel(new AgentTaskChannelOptions(), sink).SendAsync(Message("k1"), CancellationToken.None);

        Assert.Equal(DeliveryResult.Delivered, result);
        var task = Assert.Single(sink.OpenTasks());
        Assert.Equal(("k1", "new-customers", "c42", "agent-7", "Welcome call: Ada", "Call Ada back about her first order"),
            (task.Id, task.Queue, task.CustomerId, task.Assignee, task.Title, task.Instructions));
        Assert.Equal((T0, T0.AddDays(7), "consult_completed", 3), (task.CreatedAt, task.DueAt, task.CompletionEvent, task.Priority));
        Assert.Equal(new Dictionary<string, string> { ["script"] = "welcome-v2" }, task.Fields);
        Assert.Equal(("nurture", 2, "consult", "nurture/consult-call"), (task.JourneyId, task.JourneyVersion, task.Step, task.Template));
    }

    [Fact]
    public async Task Send_WithoutFields_UsesTheOptionsDefaults()
    {
        var sink = new SqliteAgentTaskSink(QueuePath);
        var channel = new AgentTaskChannel(new AgentTaskChannelOptions { DueAfter = TimeSpan.FromHours(4), AssigneeTrait = "missing" }, sink);

        await channel.SendAsync(Message("k1", fields: []), CancellationToken.None);

        var task = Assert.Single(sink.OpenTasks("callbacks"));
        Assert.Equal((T0.AddHours(4), "agent_task_completed", (string?)null), (task.DueAt, task.CompletionEvent, task.Assignee));
    }

    [Fact]
    public async Task Send_SameSendTwice_OneTask()
    {
        var sink = new SqliteAgentTaskSink(QueuePath);
        var channel = new AgentTaskChannel(new AgentTaskChannelOptions(), sink);

        var first = await channel.SendAsync(Message("k1"), CancellationToken.None);
        var again = await channel.SendAsync(Message("k1"), CancellationToken.None);

        Assert.Equal((DeliveryResult.Delivered, DeliveryResult.Delivered), (first, again));
        Assert.Single(sink.OpenTasks());
    }

    [Fact]
    public async Task Queue_ReopenedFromItsFile_KeepsTasksAndCompletesEachOnce()
    {
        await new AgentTaskChannel(new AgentTaskChannelOptions(), new SqliteAgentTaskSink(QueuePath)).SendAsync(Message("k1"), CancellationToken.None);

        var reopened = new SqliteAgentTaskSink(QueuePath);
        var done = reopened.Complete("k1", "reached", T0.AddDays(1));
        var twice = reopened.Complete("k1", "reached", T0.AddDays(1));

        Assert.Equal("k1", done?.Id);
        Assert.Null(twice);
        Assert.Empty(reopened.OpenTasks());
    }

    [Fact]
    public async Task Send_BadDueOrNoBody_PermanentAndNothingRecorded()
    {
        var sink = new SqliteAgentTaskSink(QueuePath);
        var channel = new AgentTaskChannel(new AgentTaskChannelOptions(), sink);

        var badDue = await channel.SendAsync(Message("k1", fields: new() { ["due"] = "two days" }), CancellationToken.None);
        var noBody = await channel.SendAsync(Message("k2", body: null), CancellationToken.None);

        Assert.Equal(DeliveryResult.Permanent("template 'nurture/consult-call': due 'two days' is not an ISO 8601 duration (such as PT4H or P2D)"), badDue);
        Assert.Equal(DeliveryStatus.PermanentFailure, noBody.Status);
        Assert.Empty(sink.OpenTasks());
    }

    [Fact]
    public async Task Send_SinkFails_Retryable()
    {
        var result = await new AgentTaskChannel(new AgentTaskChannelOptions(), new FailingSink()).SendAsync(Message("k1"), CancellationToken.None);

        Assert.Equal(DeliveryResult.Retry("the agent task sink failed: CRM unreachable"), result);
    }

    [Fact]
    public void Options_Invalid_ThrowNamingEveryWrongProperty()
    {
        var e = Assert.Throws<ArgumentException>(() => new AgentTaskChannel(new AgentTaskChannelOptions { Queue = "", DueAfter = TimeSpan.Zero }, new FailingSink()));

        Assert.Contains("AgentTaskChannelOptions.Queue must not be empty.", e.Message, StringComparison.Ordinal);
        Assert.Contains("AgentTaskChannelOptions.DueAfter must be more than zero (was 00:00:00).", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InAnEngine_TaskCompletedEventPublishedBack_TheJourneyWaitingOnItGoesOn()
    {
        _folder.Write("journeys/nurture.yaml", """
            journey: nurture
            entry: { on: signed_up }
            start: consult
            steps:
              consult:
                send: { channel: agent-task, template: nurture/consult-call }
                then:
                  - on: consult_completed
                    if: event.outcome == 'reached'
                    goto: thanks
                  - after: 21d
                    goto: missed
              thanks:
                send: { channel: push, template: nurture/thanks }
              missed:
                send: { channel: push, template: nurture/missed }
            """);
        _folder.Write("journeys/templates/nurture/consult-call.liquid", "---\nsubject: \"Welcome call: {{ customer.name }}\"\nfields:\n  queue: new-customers\n  due: P7D\n  completedEvent: consult_completed\n---\nCall {{ customer.name }} on {{ customer.phone }}");
        _folder.Write("journeys/templates/nurture/thanks.liquid", "Thanks for talking to us, {{ customer.name }}");
        _folder.Write("journeys/templates/nurture/missed.liquid", "Sorry we missed you");
        var time = new FakeTimeProvider(T0);
        var sink = new SqliteAgentTaskSink(QueuePath);
        var push = new RecordingChannel("push");
        var decisions = new List<JourneyDecision>();
        await using var engine = new JourneyEngineBuilder().LoadFolder(Path.Combine(_folder.Path, "journeys"))
            .AddChannel(new AgentTaskChannel(new AgentTaskChannelOptions(), sink)).AddChannel(push)
            .UseTimeProvider(time).WithPartitions(1).Build();
        using var subscription = engine.Decisions.Subscribe(d => { lock (decisions) { decisions.Add(d); } });
        engine.Start();

        await engine.IdentifyAsync(new CustomerProfile("c42", new Dictionary<string, object?> { ["name"] = "Ada", ["phone"] = "+8613800138000", ["owner"] = "agent-7" }));
        await engine.PublishAsync(new CustomerEvent("c42", "signed_up"));
        await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);
        time.Advance(TimeSpan.FromDays(3));
        var task = Assert.Single(sink.OpenTasks("new-customers"));
        var completed = sink.Complete(task.Id, "reached", time.GetUtcNow())!;
        await engine.PublishAsync(completed.Completed("reached", time.GetUtcNow()));
        await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);

        Assert.Equal(("Call Ada on +8613800138000", "agent-7", T0.AddDays(7)), (task.Instructions, task.Assignee, task.DueAt));
        Assert.Equal("Thanks for talking to us, Ada", Assert.Single(push.Messages).Body);
        lock (decisions)
        {
            Assert.Contains(decisions, d => d.Kind == DecisionKind.Moved && d.Step == "thanks" && d.From == "consult");
        }
    }

    private sealed class FailingSink : IAgentTaskSink
    {
        public ValueTask<bool> AddAsync(AgentTask task, CancellationToken cancellationToken) => throw new IOException("CRM unreachable");
    }
}
