using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.Persistence;
using Journeys.Sqlite;
using Journeys.State;
using Journeys.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Tests.Runtime;

/// <summary><see cref="JourneyEngineOptions.IdleEviction"/>: customers with nothing pending leave memory after the idle
/// time (in virtual time), those with a run stay, and an evicted customer's next input loads them back from the store —
/// the in-memory store and a real SQLite file — with their cap and re-entry history.</summary>
public sealed class IdleEvictionTests : IDisposable
{
    private const string Welcome = """
        journey: welcome
        entry: { on: signed_up }
        reentry: never
        start: hello
        steps:
          hello:
            send: { channel: push, template: welcome/hello }
        """;

    private const string Promo = """
        journey: promo
        entry: { on: promo_day }
        reentry: always
        start: offer
        steps:
          offer:
            send: { channel: push, template: promo/offer }
        """;

    private const string Nurture = """
        journey: nurture
        entry: { on: trial_started }
        start: wait
        steps:
          wait:
            then: [ { after: 2d, goto: tips } ]
          tips:
            send: { channel: push, template: nurture/tips }
        """;

    private const string Policy = """
        policy:
          frequency:
            - { max: 1, per: 7d }
        """;

    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Idle = TimeSpan.FromHours(1);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private IJourneyStore Store(string kind) => ControlHarness.Store(kind, _folder);

    private static async Task<(JourneyEngine Engine, List<JourneyDecision> Decisions)> StartAsync(IJourneyStore store, FakeTimeProvider time)
    {
        return await ControlHarness.StartRecordingAsync(new JourneyEngineBuilder()
            .UseCatalog(JourneyLoader.LoadYaml(("welcome.yaml", Welcome), ("promo.yaml", Promo), ("nurture.yaml", Nurture), ("policy.yaml", Policy)))
            .AddChannel(new RecordingChannel()).UseTimeProvider(time).UseStore(store).WithPartitions(2)
            .Configure(o => o.IdleEviction = Idle));
    }

    /// <summary>Moves virtual time on by <paramref name="span"/> and lets the partitions run the sweep that came due.</summary>
    private static async Task IdleForAsync(JourneyEngine engine, FakeTimeProvider time, TimeSpan span)
    {
        time.Advance(span);
        await engine.DrainAsync();
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task Eviction_ManyIdsNoJourneyReads_LeaveMemoryAfterTheIdleTimeWhileARunStays(string kind)
    {
        var time = new FakeTimeProvider(Start);
        var store = Store(kind);
        try
        {
            var (engine, _) = await StartAsync(store, time);
            await engine.PublishAsync(Enumerable.Range(0, 3_000).Select(i => new CustomerEvent("visitor-" + i, "page_viewed")).ToList());
            await engine.PublishAsync(new CustomerEvent("trial", "trial_started")); // a run with a timer 2 days away
            await engine.DrainAsync();
            Assert.Equal(3_001, engine.CustomersInMemory);

            await IdleForAsync(engine, time, Idle);            // the first sweep: all changed in the period before it
            Assert.Equal(3_001, engine.CustomersInMemory);
            await IdleForAsync(engine, time, Idle);            // the second: idle for a whole period
            Assert.Equal(1, engine.CustomersInMemory);       // only the customer with a run
            Assert.NotNull((await ((ICustomerControlStore)store).LoadCustomerAsync("visitor-7", CancellationToken.None))); // still stored

            var view = await engine.InspectCustomerAsync("visitor-7"); // an input for an evicted customer loads them back
            Assert.Equal(Start, view!.FirstSeen);
            Assert.Equal(2, engine.CustomersInMemory);
            await engine.StopAsync();
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task Eviction_CustomerLoadedBack_KeepsCapsUsedAndReentryHistory(string kind)
    {
        var time = new FakeTimeProvider(Start);
        var store = Store(kind);
        try
        {
            var (engine, decisions) = await StartAsync(store, time);
            await engine.PublishAsync(new CustomerEvent("v1", "signed_up")); // welcome sends: the one send of the week
            await engine.DrainAsync();
            await IdleForAsync(engine, time, Idle);
            await IdleForAsync(engine, time, Idle);
            Assert.Equal(0, engine.CustomersInMemory); // evicted: the run completed, nothing pending

            await engine.PublishAsync(new CustomerEvent("v1", "signed_up")); // reentry: never, from the stored history
            await engine.PublishAsync(new CustomerEvent("v1", "promo_day"));   // the cap, from the stored sends
            await engine.DrainAsync();
            await engine.StopAsync();

            lock (decisions)
            {
                Assert.Single(decisions, d => d.Kind == DecisionKind.Entered && d.JourneyId == "welcome");
                Assert.Single(decisions, d => d.Kind == DecisionKind.Sent); // welcome's; promo's is held back by the cap
                Assert.Contains(decisions, d => d.JourneyId == "promo" && d.Kind is DecisionKind.Suppressed or DecisionKind.Deferred);
            }
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    [Fact]
    public void Build_IdleEvictionWithoutAStore_IsRefusedNamingTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new JourneyEngineBuilder().UseCatalog(JourneyLoader.LoadYaml(("welcome.yaml", Welcome)))
            .AddChannel(new RecordingChannel()).Configure(o => o.IdleEviction = Idle).Build());

        Assert.Contains("IdleEviction: an evicted customer is loaded back from the store", error.Message, StringComparison.Ordinal);
    }
}
