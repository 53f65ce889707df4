using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Persistence;
using Journeys.Sqlite;
using Journeys.State;
using Journeys.Tests.Runtime;
using Journeys.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static Journeys.Tests.Runtime.Sim;

namespace Journeys.Tests.Actions;

/// <summary>Calls in the engine: delivered through the outbox and the delivery pipeline like sends — retried under the
/// action's <see cref="ChannelDeliveryOptions"/>, kept in the store's outbox until answered, asked again with the same
/// idempotency key by the engine started after a crash — and the answer moves the run in its partition.</summary>
public sealed class CallEngineTests
{
    private static readonly ChannelDeliveryOptions Retries = new() { MaxAttempts = 3, BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero };

    private static readonly CustomerEvent Order =
        new("c1", "order_completed", T, new Dictionary<string, object?> { ["orderId"] = "o-7" });

    private static JourneyEngine Start(IJourneyStore? store, IJourneyAction action, List<string> decisions, FakeTimeProvider time, IChannel? channel = null)
    {
        var builder = new JourneyEngineBuilder().UseCatalog(Load(CallJourneys.BoostWithFallback)).AddChannel(channel ?? new RecordingChannel())
            .AddAction(action, Retries).UseTimeProvider(time).WithPartitions(1);
        if (store is not null)
        {
            builder.UseStore(store);
        }

        var engine = builder.Build();
        engine.Decisions.Subscribe(d => { lock (decisions) { decisions.Add(Line(d)); } });
        return engine.Start();
    }

    [Fact]
    public async Task Call_RetriedThenDone_IsCalledOnceAndMovesTheRun()
    {
        var action = new FixedAction("loyalty-credit", ActionResult.Retry("busy"), FixedAction.Done("""{"status":"ok"}"""));
        var decisions = new List<string>();
        var store = new InMemoryJourneyStore();
        await using (var engine = Start(store, action, decisions, new FakeTimeProvider(T)))
        {
            await engine.PublishAsync(Order);
            await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout); // one drain: the answer's move and its send too

            Assert.Equal(
            [
                "2026-01-05T10:00:00Z c1 entered credit (on order_completed)",
                "2026-01-05T10:00:00Z c1 called credit loyalty-credit: (call loyalty-credit: {\"status\":\"ok\"})",
                "2026-01-05T10:00:00Z c1 moved thanks from credit (on $done if result.status == 'ok')",
                "2026-01-05T10:00:00Z c1 sent thanks push:boost/thanks",
                "2026-01-05T10:00:00Z c1 completed thanks",
            ], Snapshot(decisions));
            Assert.Empty(store.LoadOutbox()); // the call's end and the thanks' end saved by the same drain
        }

        Assert.Equal(2, action.Requests.Count);
        Assert.All(action.Requests, r => Assert.Equal("boost:1:c1:1:credit:call", r.IdempotencyKey));
        Assert.Equal("o-7", action.Requests[0].Arguments["order"]);
    }

    [Fact]
    public async Task Call_Done_WithoutAStore_OneDrainAppliesTheDoneBranchAndDeliversItsSend()
    {
        // Without a store a partition's barrier does not wait for deliveries, so the answer comes back after it: the
        // drain must go another round to apply it (and a third to see nothing more came back).
        var action = new FixedAction("loyalty-credit", FixedAction.Done("""{"status":"ok"}"""));
        var decisions = new List<string>();
        var channels = new RecordingChannel();
        await using var engine = Start(null, action, decisions, new FakeTimeProvider(T), channels);
        await engine.PublishAsync(Order);
        await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);

        Assert.Contains("2026-01-05T10:00:00Z c1 moved thanks from credit (on $done if result.status == 'ok')", Snapshot(decisions));
        Assert.Equal(("push", "boost/thanks"), Assert.Single(channels.Messages.Select(m => (m.Channel, m.Template))));
    }

    [Fact]
    public async Task Call_RetriesSpent_IsFailedAndMovesAlongFailed()
    {
        var action = new FixedAction("loyalty-credit", ActionResult.Retry("down"));
        var decisions = new List<string>();
        await using (var engine = Start(null, action, decisions, new FakeTimeProvider(T)))
        {
            await engine.PublishAsync(Order);
            await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout); // one drain: the failure's move too

            Assert.Equal(
            [
                "2026-01-05T10:00:00Z c1 entered credit (on order_completed)",
                "2026-01-05T10:00:00Z c1 failed credit loyalty-credit: (down)",
                "2026-01-05T10:00:00Z c1 moved sms-fallback from credit (on $failed)",
                "2026-01-05T10:00:00Z c1 sent sms-fallback sms:boost/sorry",
                "2026-01-05T10:00:00Z c1 completed sms-fallback",
            ], Snapshot(decisions));
        }

        Assert.Equal(3, action.Requests.Count); // MaxAttempts
    }

    [Fact]
    public async Task Send_RefusedByItsChannel_MovesAlongFailedInTheEngine()
    {
        const string journey = """
            journey: fallback
            entry: { on: go }
            start: push
            steps:
              push:
                send: { channel: push, template: t }
                then: [ { on: $failed, goto: sms }, { after: 1d, goto: end } ]
              sms:
                send: { channel: sms, template: t }
            """;
        var decisions = new List<string>();
        var sms = new RecordingChannel("sms");
        var engine = new JourneyEngineBuilder().UseCatalog(Load(journey)).AddChannel(new FailingChannel("push")).AddChannel(sms)
            .UseTimeProvider(new FakeTimeProvider(T)).WithPartitions(1).Build();
        engine.Decisions.Subscribe(d => { lock (decisions) { decisions.Add(Line(d)); } });
        await using (engine.Start())
        {
            await engine.PublishAsync(new CustomerEvent("c1", "go"));
            await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout); // one drain: the give-up's move and the SMS too

            Assert.Contains("2026-01-05T10:00:00Z c1 failed push push:t (no device token)", Snapshot(decisions));
            Assert.Contains("2026-01-05T10:00:00Z c1 moved sms from push (on $failed)", Snapshot(decisions));
            Assert.Equal("fallback:1:c1:1:sms:0", Assert.Single(sms.Messages).IdempotencyKey); // delivered by that drain
        }
    }

    [Fact]
    public async Task Crash_WhileACallIsInFlight_TheNextEngineOnTheSqliteFileAsksAgainWithTheSameKeyAndTheAnswerMovesTheRun()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "journeys.db");
        var time = new FakeTimeProvider(T);
        var decisions = new List<string>();
        var hanging = new FixedAction("loyalty-credit") { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        using (var store = new SqliteJourneyStore(path))
        {
            var engine = Start(store, hanging, decisions, time);
            await engine.PublishAsync(Order);
            await hanging.Started.Task.WaitAsync(EngineHarness.SafetyTimeout); // saved, then handed to the action's lane
            Assert.Equal("boost:1:c1:1:credit:call", Assert.Single(await store.LoadOutboxAsync(CancellationToken.None)).Key);
            using var crash = new CancellationTokenSource();
            await crash.CancelAsync();
            await engine.StopAsync(crash.Token).WaitAsync(EngineHarness.SafetyTimeout); // the attempt is cut off: no answer
            await engine.DisposeAsync();
        }

        Assert.DoesNotContain(decisions, d => d.Contains(" called ", StringComparison.Ordinal) || d.Contains(" moved ", StringComparison.Ordinal));
        var answering = new FixedAction("loyalty-credit", FixedAction.Done("""{"status":"ok"}"""));
        using (var store = new SqliteJourneyStore(path))
        {
            await using var engine = Start(store, answering, decisions, time);
            await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);
            Assert.Empty(await store.LoadOutboxAsync(CancellationToken.None)); // answered: the row went with the move's save
        }

        var again = Assert.Single(answering.Requests);
        Assert.Equal((hanging.Requests[0].IdempotencyKey, "o-7"), (again.IdempotencyKey, again.Arguments["order"]));
        Assert.Contains("2026-01-05T10:00:00Z c1 called credit loyalty-credit: (call loyalty-credit: {\"status\":\"ok\"})", decisions);
        Assert.Contains("2026-01-05T10:00:00Z c1 moved thanks from credit (on $done if result.status == 'ok')", decisions);
    }

    [Fact]
    public async Task Crash_ThenANextEngineWhoseClockStandsBehindTheCall_AnswersAtTheCallsInstantNotBefore()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "journeys.db");
        var decisions = new List<string>();
        var hanging = new FixedAction("loyalty-credit") { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        using (var store = new SqliteJourneyStore(path))
        {
            var engine = Start(store, hanging, decisions, new FakeTimeProvider(T));
            await engine.PublishAsync(Order);
            await hanging.Started.Task.WaitAsync(EngineHarness.SafetyTimeout);
            using var crash = new CancellationTokenSource();
            await crash.CancelAsync();
            await engine.StopAsync(crash.Token).WaitAsync(EngineHarness.SafetyTimeout);
            await engine.DisposeAsync();
        }

        var answering = new FixedAction("loyalty-credit", FixedAction.Done("""{"status":"ok"}"""));
        using (var store = new SqliteJourneyStore(path))
        {
            // The next process's clock starts a month before the call (a virtual clock not restored, a host's bad clock).
            await using var engine = Start(store, answering, decisions, new FakeTimeProvider(T.AddDays(-30)));
            await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);
        }

        Assert.Single(answering.Requests);
        Assert.Contains("2026-01-05T10:00:00Z c1 called credit loyalty-credit: (call loyalty-credit: {\"status\":\"ok\"})", decisions);
        Assert.Contains("2026-01-05T10:00:00Z c1 moved thanks from credit (on $done if result.status == 'ok')", decisions);
        Assert.DoesNotContain(decisions, d => d.StartsWith("2025-", StringComparison.Ordinal));
    }

    private static List<string> Snapshot(List<string> decisions)
    {
        lock (decisions)
        {
            return [.. decisions];
        }
    }

    /// <summary>Refuses every message for good.</summary>
    private sealed class FailingChannel(string name) : IChannel
    {
        public string Name => name;

        public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken) =>
            ValueTask.FromResult(DeliveryResult.Permanent("no device token"));
    }
}
