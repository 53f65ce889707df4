using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Persistence;
using Journeys.State;
using Journeys.Tests.Runtime;
using Journeys.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Tests.Persistence;

/// <summary>Capped catch-up: timers that came due while no engine ran fire at start in due order, at most
/// <see cref="JourneyEngineBuilder.WithCatchUpLimit"/> per turn, with live inputs applied between turns — and a
/// customer's own overdue timers still fire before that customer's new input.</summary>
public sealed class CatchUpTests
{
    private const int Customers = 10_000;
    private const int Limit = 100;

    private const string Poke = """
        journey: poke
        version: 1
        entry: { on: poke }
        reentry: always
        start: s
        steps:
          s:
            then: [ { after: 1d, goto: end } ]
        """;

    private static readonly DateTimeOffset T0 = Sim.T;

    /// <summary>10,000 customers whose step timers came due one minute apart during a 30-day outage; an engine starts on
    /// them with a limit of 100 per turn, and <paramref name="live"/> is published while the first turn is saved.</summary>
    private static async Task<List<JourneyDecision>> RestartAfterOutage(params CustomerEvent[] live)
    {
        var firstSaveReached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var release = new ManualResetEventSlim();
        var store = new TestStore
        {
            OnSave = save =>
            {
                if (save == 1) // the end of the first catch-up turn waits until the test has published
                {
                    firstSaveReached.SetResult();
                    release.Wait(EngineHarness.SafetyTimeout);
                }
            },
        };
        store.Inner.SaveChanges(Enumerable.Range(0, Customers).Select(i => new CustomerSnapshot
        {
            Id = $"c{i}",
            Instances = [new InstanceSnapshot("poke", 1, 1, "s", T0.AddMinutes(i), T0.AddMinutes(i))],
            Journeys = [new JourneyMemorySnapshot("poke", 1, T0.AddMinutes(i))],
        }).ToList());

        var decisions = new List<JourneyDecision>();
        await using var engine = new JourneyEngineBuilder()
            .UseCatalog(Sim.Load(Poke))
            .AddChannel(new RecordingChannel())
            .UseTimeProvider(new FakeTimeProvider(T0.AddDays(30)))
            .UseStore(store)
            .WithPartitions(1)
            .WithCatchUpLimit(Limit)
            .Build();
        engine.Decisions.Subscribe(d => { lock (decisions) { decisions.Add(d); } });
        engine.Start();

        await firstSaveReached.Task.WaitAsync(EngineHarness.SafetyTimeout);
        Assert.Empty(decisions); // the first turn (100 timers) waits in its save: its decisions are published only after it
        await engine.PublishAsync(live);
        release.Set();
        await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);
        await engine.StopAsync();
        return decisions;
    }

    [Fact]
    public async Task Restart_TenThousandOverdueTimersAtAHundredPerTurn_LiveEventAppliedEarlyAndEveryTimerFiresInDueOrder()
    {
        var decisions = await RestartAfterOutage(new CustomerEvent("live", "poke"));

        var completed = decisions.Where(d => d.Kind == DecisionKind.Completed).ToList();
        Assert.Equal(Enumerable.Range(0, Customers).Select(i => $"c{i}"), completed.Select(d => d.CustomerId));
        Assert.Equal(Enumerable.Range(0, Customers).Select(i => T0.AddMinutes(i).AddDays(1)), completed.Select(d => d.Timestamp)); // at their own due times
        var liveEntered = decisions.FindIndex(d => d.CustomerId == "live");
        Assert.InRange(liveEntered, Limit, 3 * Limit); // after a turn or two, long before the 10,000th timer
    }

    [Fact]
    public async Task Restart_CustomersOwnOverdueTimerFiresBeforeItsNewEvent()
    {
        var decisions = await RestartAfterOutage(new CustomerEvent($"c{Customers - 1}", "poke"));

        var own = decisions.Where(d => d.CustomerId == $"c{Customers - 1}").Select(d => (d.Kind, d.Timestamp)).ToList();
        Assert.Equal([(DecisionKind.Completed, T0.AddMinutes(Customers - 1).AddDays(1)), (DecisionKind.Entered, T0.AddDays(30))], own);
        Assert.InRange(decisions.FindIndex(d => d.Kind == DecisionKind.Entered), Limit, 3 * Limit); // its timer did not wait its turn
        Assert.Equal(Customers, decisions.Count(d => d.Kind == DecisionKind.Completed));
    }

    [Fact]
    public async Task Restart_ManyCustomersEventsDuringCatchUp_EachOwnOverdueTimerFiresFirstAndEveryTimerFiresOnce()
    {
        var live = new[] { 9_999, 5_000, 7_777, 200, 5_001, 9_998, 1_234, 8_000 }.Select(i => new CustomerEvent($"c{i}", "poke")).ToArray();

        var decisions = await RestartAfterOutage(live);

        foreach (var e in live)
        {
            var own = decisions.Where(d => d.CustomerId == e.CustomerId).Select(d => d.Kind).ToList();
            Assert.Equal([DecisionKind.Completed, DecisionKind.Entered], own); // its own timer, taken early, then its event
        }

        var completed = decisions.Where(d => d.Kind == DecisionKind.Completed).ToList(); // each once: a timer taken early is not fired again
        Assert.Equal(Enumerable.Range(0, Customers).Select(i => $"c{i}").Order(StringComparer.Ordinal), completed.Select(d => d.CustomerId).Order(StringComparer.Ordinal));
        Assert.All(completed, d => Assert.Equal(T0.AddMinutes(int.Parse(d.CustomerId[1..])).AddDays(1), d.Timestamp));
        var notLive = completed.Where(d => !live.Any(e => e.CustomerId == d.CustomerId)).Select(d => d.Timestamp).ToList();
        Assert.Equal(notLive.Order(), notLive); // the others in due order
    }

    [Fact]
    public void Build_CatchUpLimitBelowOne_RefusedNamingTheSetting()
    {
        var builder = new JourneyEngineBuilder().UseCatalog(Sim.Load(Poke)).AddChannel(new RecordingChannel()).WithCatchUpLimit(0);

        var error = Assert.Throws<InvalidOperationException>(() => builder.Build());
        Assert.Contains("WithCatchUpLimit: 0 is too small; use at least 1 timer per turn.", error.Message, StringComparison.Ordinal);
    }

    private const string Remind = """
        journey: remind
        version: 1
        entry: { on: poke }
        start: wait
        steps:
          wait:
            then: [ { after: 1d, goto: remind } ]
          remind:
            send: { channel: push, template: remind/hi }
            then: [ { after: 1d, goto: end } ]
        """;

    [Fact]
    public async Task Restart_WithMaxSendLateness_SuppressesSendsDueLongerAgoAsStaleAndSendsTheRest()
    {
        var restart = T0.AddDays(30);
        var store = new InMemoryJourneyStore();
        store.SaveChanges(
        [
            new CustomerSnapshot { Id = "old", Instances = [new InstanceSnapshot("remind", 1, 1, "wait", T0, T0)] }, // due 29 days ago
            new CustomerSnapshot
            {
                Id = "recent",
                Instances = [new InstanceSnapshot("remind", 1, 1, "wait", restart.AddDays(-1).AddHours(-2), restart.AddDays(-1).AddHours(-2))],
            }, // due 2 hours ago
        ]);
        var channel = new RecordingChannel();
        var decisions = new List<JourneyDecision>();
        await using var engine = new JourneyEngineBuilder()
            .UseCatalog(Sim.Load(Remind))
            .AddChannel(channel)
            .UseTimeProvider(new FakeTimeProvider(restart))
            .UseStore(store)
            .WithMaxSendLateness(TimeSpan.FromHours(6))
            .Build();
        engine.Decisions.Subscribe(d => { lock (decisions) { decisions.Add(d); } });
        engine.Start();
        await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);

        var stale = Assert.Single(decisions, d => d.Kind == DecisionKind.Suppressed);
        Assert.Equal(("old", "stale", T0.AddDays(1)), (stale.CustomerId, stale.Reason, stale.Timestamp));
        Assert.Equal("recent", Assert.Single(channel.Messages).CustomerId);
        Assert.Equal("old", Assert.Single(decisions, d => d.Kind == DecisionKind.Completed).CustomerId); // a stale send holds no one back
    }

    [Fact]
    public void Build_MaxSendLatenessZero_RefusedNamingTheSetting()
    {
        var builder = new JourneyEngineBuilder().UseCatalog(Sim.Load(Poke)).AddChannel(new RecordingChannel()).WithMaxSendLateness(TimeSpan.Zero);

        var error = Assert.Throws<InvalidOperationException>(() => builder.Build());
        Assert.Contains("WithMaxSendLateness: 00:00:00 is not a lateness; use more than zero, or null for no limit.", error.Message, StringComparison.Ordinal);
    }
}
