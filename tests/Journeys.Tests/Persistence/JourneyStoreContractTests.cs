using Journeys.Delivery;
using Journeys.Loading;
using Journeys.Persistence;
using Journeys.Runtime;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Tests.Runtime;

public sealed class JourneyStoreTests
{
    private const string Nurture = """
        journey: nurture
        version: 1
        entry: { on: signed_up }
        exit: [ { on: unsubscribed } ]
        start: guide
        steps:
          guide:
            send: { channel: push, template: nurture/guide }
            then: [ { after: 7d, goto: consult } ]
          consult:
            send: { channel: agent-task, template: nurture/consult-call }
            then: [ { on: consult_completed, goto: end }, { after: 21d, goto: end } ]
        """;

    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    private static async Task<(JourneyEngine Engine, List<JourneyDecision> Decisions, RecordingChannel Channel)> StartAsync(
        FakeTimeProvider time, IJourneyStore store)
    {
        var channel = new RecordingChannel();
        var engine = new JourneyEngineBuilder()
            .UseCatalog(JourneyLoader.LoadYaml(("nurture.yaml", Nurture)))
            .AddChannel(channel)
            .UseTimeProvider(time)
            .UseStore(store)
            .WithPartitions(2)
            .Build();
        var decisions = new List<JourneyDecision>();
        engine.Decisions.Subscribe(d => { lock (decisions) { decisions.Add(d); } });
        engine.Start();
        await Task.CompletedTask;
        return (engine, decisions, channel);
    }

    [Fact]
    public async Task Engine_RestartedOnSameStore_ResumesTimersWhereItStopped()
    {
        var time = new FakeTimeProvider(T0);
        var store = new InMemoryJourneyStore();
        var (first, _, _) = await StartAsync(time, store);
        await first.PublishAsync(new CustomerEvent("c1", "signed_up", T0));
        await first.DrainAsync();
        await first.StopAsync();

        var saved = store.Find("c1");
        Assert.NotNull(saved);
        var instance = Assert.Single(saved.Instances);
        Assert.Equal(("nurture", "guide", T0), (instance.JourneyId, instance.Step, instance.ArrivedAt));

        var (second, decisions, channel) = await StartAsync(time, store);
        time.Advance(TimeSpan.FromDays(7));
        await second.DrainAsync();
        await second.StopAsync();

        var moved = Assert.Single(decisions, d => d.Kind == DecisionKind.Moved);
        Assert.Equal(("consult", "guide", T0.AddDays(7)), (moved.Step, moved.From, moved.Timestamp));
        var message = Assert.Single(channel.Messages);
        Assert.Equal("nurture:1:c1:1:consult:0", message.IdempotencyKey);
    }

    [Fact]
    public async Task Engine_RestartedOnSameStore_KeepsEntryHistoryForReentryNever()
    {
        var time = new FakeTimeProvider(T0);
        var store = new InMemoryJourneyStore();
        var (first, _, _) = await StartAsync(time, store);
        await first.PublishAsync(new CustomerEvent("c1", "signed_up", T0));
        await first.PublishAsync(new CustomerEvent("c1", "unsubscribed", T0.AddHours(1)));
        await first.DrainAsync();
        await first.StopAsync();

        var (second, decisions, _) = await StartAsync(time, store);
        time.Advance(TimeSpan.FromDays(1));
        await second.PublishAsync(new CustomerEvent("c1", "signed_up"));
        await second.DrainAsync();
        await second.StopAsync();

        Assert.DoesNotContain(decisions, d => d.Kind == DecisionKind.Entered);
        Assert.Equal(1, Assert.Single(store.Find("c1")!.Journeys).Entries);
    }

    [Fact]
    public async Task Engine_TimersDueWhileStopped_FireAtTheirOwnTimesInOrder()
    {
        var time = new FakeTimeProvider(T0);
        var store = new InMemoryJourneyStore();
        var (first, _, _) = await StartAsync(time, store);
        await first.PublishAsync(new CustomerEvent("c1", "signed_up", T0));
        await first.DrainAsync();
        await first.StopAsync();

        time.Advance(TimeSpan.FromDays(40)); // both timers (7d, then 21d) came due while no engine ran
        var (second, decisions, _) = await StartAsync(time, store);
        time.Advance(TimeSpan.FromSeconds(1));
        await second.DrainAsync();
        await second.StopAsync();

        var mine = decisions.Where(d => d.CustomerId == "c1").Select(d => (d.Kind, d.Step, d.Timestamp)).ToList();
        Assert.Equal(
        [
            (DecisionKind.Moved, "consult", T0.AddDays(7)),
            (DecisionKind.Sent, "consult", T0.AddDays(7)),
            (DecisionKind.Completed, "consult", T0.AddDays(28)),
        ], mine);
        Assert.Empty(store.Find("c1")!.Instances);
    }

    [Fact]
    public async Task Engine_RestartedOnSameStore_RemembersSendsForCapsAndWaitingSends()
    {
        const string policy = """
            policy:
              frequency:
                - { max: 1, per: 7d }
              quietHours: { from: "21:00", to: "08:00" }
            """;
        const string poke = """
            journey: poke
            entry: { on: poke }
            reentry: always
            start: s
            steps:
              s:
                send: { channel: push, template: poke/t }
            """;
        var catalog = JourneyLoader.LoadYaml(("poke.yaml", poke), ("policy.yaml", policy)).ThrowIfInvalid();
        var time = new FakeTimeProvider(T0);
        var store = new InMemoryJourneyStore();
        async Task<List<JourneyDecision>> RunAsync(Func<JourneyEngine, Task> act)
        {
            var engine = new JourneyEngineBuilder().UseCatalog(catalog).AddChannel(new RecordingChannel()).UseTimeProvider(time)
                .UseStore(store).WithPartitions(1).Build();
            var decisions = new List<JourneyDecision>();
            engine.Decisions.Subscribe(d => { lock (decisions) { decisions.Add(d); } });
            engine.Start();
            await act(engine);
            await engine.DrainAsync();
            await engine.StopAsync();
            return decisions;
        }

        await RunAsync(e => e.PublishAsync(new CustomerEvent("c1", "poke")).AsTask()); // 10:00 UTC: sent
        time.SetUtcNow(T0.AddHours(12));                                                // 22:00 UTC: quiet
        await RunAsync(e => e.PublishAsync(new CustomerEvent("c2", "poke")).AsTask());  // deferred to 08:00
        time.SetUtcNow(T0.AddDays(1));
        var after = await RunAsync(async e =>
        {
            await e.PublishAsync(new CustomerEvent("c1", "poke"));                       // a day later: capped
            time.Advance(TimeSpan.FromSeconds(1));
        });

        Assert.Contains(after, d => d is { CustomerId: "c1", Kind: DecisionKind.Suppressed, Reason: "cap:all" });
        var released = Assert.Single(after, d => d is { CustomerId: "c2", Kind: DecisionKind.Sent });
        Assert.Equal(T0.AddHours(22), released.Timestamp); // 08:00 UTC the next day
    }
}
