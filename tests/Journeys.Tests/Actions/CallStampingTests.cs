using Journeys.Delivery;
using Journeys.Engine;
using Journeys.State;
using Journeys.Tests.Runtime;
using Microsoft.Extensions.Time.Testing;
using static Journeys.Tests.Runtime.Sim;

namespace Journeys.Tests.Actions;

/// <summary>The instant an engine applies a call's answer at: the call's own instant when the customer has had no decision
/// since — so an engine whose fake clock jumps past the call decides what <c>simulate</c> decides — otherwise the
/// customer's latest decision since the call, never before it; the timers the answer's branch arms count from there.</summary>
public sealed class CallStampingTests
{
    private const string Stamp = """
        journey: stamp
        entry: { on: signed_up }
        start: wait
        steps:
          wait:
            then:
              - { after: 2d, goto: credit }
          credit:
            call: { action: loyalty-credit }
            then:
              - { on: $done, goto: notice }
          notice:
            send: { channel: push, template: t/notice }
            then:
              - { after: 3d, goto: reminder }
          reminder:
            send: { channel: push, template: t/reminder }
        """;

    private const string Other = """
        journey: other
        entry: { on: browsed }
        start: hello
        steps:
          hello:
            send: { channel: email, template: t/hello }
        """;

    private static JourneyEngine Start(FakeTimeProvider time, IJourneyAction action, List<string> decisions)
    {
        // No attempt timeout: a call the test holds in flight while it moves the clock is not cut off and retried.
        var engine = new JourneyEngineBuilder().UseCatalog(Load(Stamp, Other)).AddChannel(new RecordingChannel())
            .AddAction(action, new ChannelDeliveryOptions { AttemptTimeout = null })
            .UseTimeProvider(time).WithPartitions(2).Build();
        engine.Decisions.Subscribe(d => { lock (decisions) { decisions.Add(Line(d)); } });
        return engine.Start();
    }

    private static List<string> Snapshot(List<string> decisions)
    {
        lock (decisions)
        {
            return [.. decisions];
        }
    }

    [Fact]
    public async Task Engine_WhoseClockJumpsPastACall_DecidesWhatSimulateDecides()
    {
        var until = T.AddDays(10);
        var script = new Script().Track("c1", "signed_up", T).Track("c2", "signed_up", T.AddHours(5));
        var simulated = Lines(new Simulator(Load(Stamp, Other), null, [new FixedAction("loyalty-credit")]).Run(script.Inputs, until));

        var time = new FakeTimeProvider(T);
        var decisions = new List<string>();
        await using (var engine = Start(time, new FixedAction("loyalty-credit"), decisions))
        {
            await engine.PublishAsync(new CustomerEvent("c1", "signed_up", T));
            await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);
            time.SetUtcNow(T.AddHours(5));
            await engine.PublishAsync(new CustomerEvent("c2", "signed_up", T.AddHours(5)));
            await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);
            time.SetUtcNow(until); // one jump over both calls (day 2) and the reminders' due times (day 5)
            await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);

            var engineLines = Snapshot(decisions).OrderBy(l => l[..l.IndexOf(' ', StringComparison.Ordinal)], StringComparer.Ordinal)
                .ThenBy(l => l.Split(' ')[1], StringComparer.Ordinal).ToList();
            var simulatedLines = simulated.OrderBy(l => l[..l.IndexOf(' ', StringComparison.Ordinal)], StringComparer.Ordinal)
                .ThenBy(l => l.Split(' ')[1], StringComparer.Ordinal).ToList();
            Assert.Equal(simulatedLines, engineLines);
        }

        Assert.Contains("2026-01-07T10:00:00Z c1 called credit loyalty-credit: (call loyalty-credit: {})", simulated);
        Assert.Contains("2026-01-07T10:00:00Z c1 sent notice push:t/notice", simulated);
        Assert.Contains("2026-01-10T10:00:00Z c1 sent reminder push:t/reminder", simulated); // 3 days after the answer's instant
        Assert.Contains("2026-01-10T15:00:00Z c2 sent reminder push:t/reminder", simulated);
    }

    [Fact]
    public async Task Answer_AfterALaterDecisionOfTheCustomer_IsAppliedAtThatDecisionsInstantNeverBefore()
    {
        var time = new FakeTimeProvider(T);
        var decisions = new List<string>();
        var action = new FixedAction("loyalty-credit") { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var hello = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var engine = Start(time, action, decisions);
        using var watch = engine.Decisions.Subscribe(d =>
        {
            if (d.JourneyId == "other" && d.KindName == "sent")
            {
                hello.TrySetResult();
            }
        });

        await engine.PublishAsync(new CustomerEvent("c1", "signed_up", T));
        await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);
        time.SetUtcNow(T.AddDays(2)); // the call goes out and is held in flight
        await action.Started.Task.WaitAsync(EngineHarness.SafetyTimeout);
        time.SetUtcNow(T.AddDays(2).AddHours(3));
        await engine.PublishAsync(new CustomerEvent("c1", "browsed", T.AddDays(2).AddHours(3))); // a later decision of c1's
        await hello.Task.WaitAsync(EngineHarness.SafetyTimeout);
        action.Gate.SetResult(); // answered after the browse was decided
        await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);

        var lines = Snapshot(decisions);
        Assert.Contains("2026-01-07T13:00:00Z c1 sent hello email:t/hello", lines);
        Assert.Contains("2026-01-07T13:00:00Z c1 called credit loyalty-credit: (call loyalty-credit: {})", lines);
        Assert.Contains("2026-01-07T13:00:00Z c1 sent notice push:t/notice", lines);
        var times = lines.Where(l => l.Contains(" c1 ", StringComparison.Ordinal)).Select(l => l[..l.IndexOf(' ', StringComparison.Ordinal)]).ToList();
        Assert.Equal(times.Order(StringComparer.Ordinal), times); // c1's decisions stay in time order
    }
}
