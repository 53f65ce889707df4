using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.Persistence;
using Journeys.State;
using Journeys.Tests.Runtime;
using Journeys.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Tests.Persistence;

/// <summary>An engine whose start is refused writes nothing to its store: every check passes before the first write
/// (and <see cref="JourneyEngineBuilder.Build"/> reads and writes no store at all).</summary>
public sealed class BuildRefusedTests
{
    private static string Remind(int version, string channel) => $$"""
        journey: remind
        version: {{version}}
        versioning: finish
        entry: { on: signed_up }
        start: wait
        steps:
          wait:
            then: [ { after: 7d, goto: nudge } ]
          nudge:
            send: { channel: {{channel}}, template: remind/nudge }
        """;

    [Fact]
    public async Task Start_OlderVersionSendsOnAnUnregisteredChannel_RefusedAndTheStoreKeepsOnlyWhatItHad()
    {
        var store = new InMemoryJourneyStore();
        var time = new FakeTimeProvider(Sim.T);
        await using (var first = new JourneyEngineBuilder().UseCatalog(JourneyLoader.LoadYaml(("remind.yaml", Remind(1, "sms"))))
                         .AddChannel(new RecordingChannel("sms")).UseTimeProvider(time).UseStore(store).Build().Start())
        {
            await first.PublishAsync(new CustomerEvent("c1", "signed_up"));
            await first.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);
        }

        var before = store.LoadJourneyVersions().Select(v => (v.JourneyId, v.Version)).ToList();

        // Version 2 sends on push; c1 finishes on version 1, which sends on sms, and no sms channel is registered now.
        await using var second = new JourneyEngineBuilder().UseCatalog(JourneyLoader.LoadYaml(("remind.yaml", Remind(2, "push"))))
            .AddChannel(new RecordingChannel("push")).UseTimeProvider(time).UseStore(store).Build();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => second.StartAsync());

        Assert.Contains("'remind' version 1 sends on 'sms'", error.Message, StringComparison.Ordinal);
        Assert.Equal([("remind", 1)], before);
        Assert.Equal(before, store.LoadJourneyVersions().Select(v => (v.JourneyId, v.Version)).ToList()); // version 2 not recorded
    }
}
