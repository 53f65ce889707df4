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

/// <summary><see cref="JourneyEngine.MergeCustomersAsync"/>: the merged id's state folded into the kept customer (traits:
/// the kept ones win; runs of both kept, one per journey; entries and caps used summed), and every later input for either
/// id reaching that one customer — across a restart on the in-memory store and on a real SQLite file (the alias saved).</summary>
public sealed class MergeCustomersTests : IDisposable
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
            send: { channel: email, template: nurture/tips }
        """;

    private const string Policy = """
        policy:
          frequency:
            - { max: 2, per: 7d }
        """;

    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private IJourneyStore Store(string kind) => ControlHarness.Store(kind, _folder);

    private static async Task<(JourneyEngine Engine, List<JourneyDecision> Decisions)> StartAsync(IJourneyStore? store, FakeTimeProvider time)
    {
        var builder = new JourneyEngineBuilder()
            .UseCatalog(JourneyLoader.LoadYaml(("welcome.yaml", Welcome), ("promo.yaml", Promo), ("nurture.yaml", Nurture), ("policy.yaml", Policy)))
            .AddChannel(new RecordingChannel()).UseTimeProvider(time).WithPartitions(4);
        if (store is not null)
        {
            builder.UseStore(store);
        }

        return await ControlHarness.StartRecordingAsync(builder);
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task Merge_TwoIds_FoldsTheStateAndBothReachOneCustomerAcrossARestart(string kind)
    {
        var time = new FakeTimeProvider(Start);
        var store = Store(kind);
        try
        {
            var (engine, _) = await StartAsync(store, time);
            await engine.PublishAsync(new CustomerEvent("device-1", "signed_up"));      // welcome: one send counted for caps
            await engine.IdentifyAsync(new CustomerProfile("device-1", new Dictionary<string, object?> { ["plan"] = "free", ["city"] = "Shanghai" }));
            await engine.PublishAsync(new CustomerEvent("device-1", "trial_started"));  // a run waiting 2 days
            await engine.IdentifyAsync(new CustomerProfile("user-1", new Dictionary<string, object?> { ["plan"] = "gold" }));
            await engine.PublishAsync(new CustomerEvent("user-1", "promo_day"));        // promo: the second send of the week
            await engine.DrainAsync();

            var result = await engine.MergeCustomersAsync("user-1", "device-1");
            Assert.Equal(("user-1", "device-1", true), (result.KeptId, result.MergedId, result.Found));
            Assert.Equal(["nurture"], result.RunsMoved);
            Assert.Empty(result.RunsDropped);

            var view = await engine.InspectCustomerAsync("device-1"); // the merged id reaches the kept customer
            Assert.Equal("user-1", view!.Id);
            Assert.Equal("gold", view.Traits["plan"]);      // the kept customer's trait wins
            Assert.Equal("Shanghai", view.Traits["city"]);  // the merged one's fills in
            Assert.Equal("nurture", Assert.Single(view.Runs).Journey);
            Assert.Equal(2, view.Sends.Count);               // caps used: summed
            await engine.StopAsync();
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }

        store = kind == "sqlite" ? Store(kind) : store;
        try
        {
            var (again, decisions) = await StartAsync(store, time);
            await again.PublishAsync(new CustomerEvent("device-1", "signed_up")); // reentry: never, from the merged entries
            await again.PublishAsync(new CustomerEvent("device-1", "promo_day")); // the cap: 2 of 2 used this week
            await again.DrainAsync();
            time.Advance(TimeSpan.FromDays(2));                                    // the moved run's timer, re-armed
            await again.DrainAsync();
            await again.StopAsync();

            lock (decisions)
            {
                Assert.DoesNotContain(decisions, d => d.CustomerId == "device-1"); // every input reached the kept customer
                Assert.DoesNotContain(decisions, d => d.JourneyId == "welcome" && d.Kind == DecisionKind.Entered);
                Assert.DoesNotContain(decisions, d => d.JourneyId == "promo" && d.Kind == DecisionKind.Sent);
                Assert.Contains(decisions, d => d.CustomerId == "user-1" && d.JourneyId == "nurture" && d.Kind == DecisionKind.Moved && d.Step == "tips");
            }

            var controls = (ICustomerControlStore)store;
            Assert.Null(await controls.LoadCustomerAsync("device-1", CancellationToken.None));
            Assert.Equal([new CustomerAlias("device-1", "user-1")], await controls.LoadAliasesAsync(CancellationToken.None));
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task Merge_BothInOneJourney_KeepsTheKeptCustomersRunAndDropsTheOther(string kind)
    {
        var time = new FakeTimeProvider(Start);
        var store = Store(kind);
        try
        {
            var (engine, _) = await StartAsync(store, time);
            await engine.PublishAsync(new CustomerEvent("user-2", "trial_started"));
            time.Advance(TimeSpan.FromHours(5));
            await engine.PublishAsync(new CustomerEvent("device-2", "trial_started"));
            await engine.DrainAsync();

            var result = await engine.MergeCustomersAsync("user-2", "device-2");
            var run = Assert.Single((await engine.InspectCustomerAsync("user-2"))!.Runs);
            await engine.StopAsync();

            Assert.Equal(["nurture"], result.RunsDropped);
            Assert.Empty(result.RunsMoved);
            Assert.Equal(Start, run.EnteredAt); // the kept customer's own run
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    [Fact]
    public async Task Merge_IntoACustomerThenThatOneIntoAThird_EveryIdReachesTheLast()
    {
        var time = new FakeTimeProvider(Start);
        var (engine, _) = await StartAsync(null, time);
        await using var _ = engine;
        await engine.IdentifyAsync(new CustomerProfile("a", new Dictionary<string, object?> { ["from"] = "a" }));
        await engine.IdentifyAsync(new CustomerProfile("b", new Dictionary<string, object?> { ["from"] = "b" }));
        await engine.IdentifyAsync(new CustomerProfile("c", new Dictionary<string, object?> { ["from"] = "c" }));

        await engine.MergeCustomersAsync("b", "a");
        await engine.MergeCustomersAsync("c", "b");
        Assert.False((await engine.MergeCustomersAsync("c", "a")).Found); // one customer already

        Assert.Equal("c", (await engine.InspectCustomerAsync("a"))!.Id);
        Assert.Equal("c", (await engine.InspectCustomerAsync("b"))!.Id);
        await Assert.ThrowsAsync<ArgumentException>(() => engine.MergeCustomersAsync("c", "c"));
    }
}
