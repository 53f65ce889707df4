using Journeys.Delivery;
using Journeys.Diagnostics;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.State;
using Journeys.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Tests.Persistence;

/// <summary>A store that fails to save: a drain says so instead of returning as if the state were safe, and the changes
/// are saved at the next flush rather than forgotten.</summary>
public sealed class StoreFailureTests
{
    private const string Poke = """
        journey: poke
        entry: { on: poke }
        start: s
        steps:
          s:
            then: [ { after: 1d, goto: end } ]
        """;

    [Fact]
    public async Task Drain_StoreFailsToSave_ThrowsTheStoresErrorAndSavesAtTheNextFlush()
    {
        var store = new TestStore { Failing = true };
        var errors = new List<Exception>();
        await using var engine = new JourneyEngineBuilder()
            .UseCatalog(JourneyLoader.LoadYaml(("poke.yaml", Poke)))
            .AddChannel(new RecordingChannel())
            .UseTimeProvider(new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero)))
            .UseStore(store)
            .WithPartitions(1)
            .OnError(ex => { lock (errors) { errors.Add(ex); } })
            .Build()
            .Start();

        await engine.PublishAsync(new CustomerEvent("c1", "poke"));
        var failed = await Assert.ThrowsAsync<JourneyStoreException>(() => engine.DrainAsync());
        Assert.Equal("disk full", failed.Reason);
        Assert.Null(store.Inner.Find("c1"));

        store.Failing = false;
        await engine.DrainAsync();
        Assert.Equal("s", Assert.Single(store.Inner.Find("c1")!.Decoded().Instances).Step);
        Assert.All(errors, e => Assert.IsType<JourneyStoreException>(e)); // batch-end flushes that failed were reported
    }
}
