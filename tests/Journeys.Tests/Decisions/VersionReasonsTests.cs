using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.Persistence;
using Journeys.State;
using Journeys.Tests.Runtime;
using Journeys.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Tests.Decisions;

/// <summary>The reasons of moves a new journey version makes (docs/operations.md, "Versions of journeys") and of a stale
/// send, typed: the version and step they name.</summary>
public sealed class VersionReasonsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    private static string Nurture(int version, string guide = "then: [ { after: 7d, goto: consult } ]", string consult = "consult:") => $$"""
        journey: nurture
        version: {{version}}
        versioning: migrate
        entry: { on: signed_up }
        start: guide
        steps:
          guide:
            {{guide}}
          {{consult}}
        """;

    /// <summary>c1 enters <paramref name="first"/> at T0; an engine of <paramref name="second"/> starts an hour later on
    /// the same store: its decisions.</summary>
    private static async Task<List<JourneyDecision>> DeployAsync(string first, string second)
    {
        var store = new InMemoryJourneyStore();
        var time = new FakeTimeProvider(T0);
        await RunAsync(first, store, time, e => e.PublishAsync(new CustomerEvent("c1", "signed_up", T0)).AsTask());
        time.Advance(TimeSpan.FromHours(1));
        return await RunAsync(second, store, time, _ => Task.CompletedTask);
    }

    private static async Task<List<JourneyDecision>> RunAsync(string journey, IJourneyStore store, FakeTimeProvider time, Func<JourneyEngine, Task> act)
    {
        var decisions = new List<JourneyDecision>();
        await using var engine = new JourneyEngineBuilder()
            .UseCatalog(JourneyLoader.LoadYaml(("nurture.yaml", journey)).ThrowIfInvalid())
            .AddChannel(new RecordingChannel())
            .UseTimeProvider(time)
            .UseStore(store)
            .Build();
        engine.Decisions.Subscribe(d => { lock (decisions) { decisions.Add(d); } });
        engine.Start();
        await act(engine);
        await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);
        await engine.StopAsync();
        lock (decisions)
        {
            return decisions.ToList();
        }
    }

    [Fact]
    public async Task NewVersion_WithTheStep_MovesTheCustomerThereAsMigratedFromTheOldVersion()
    {
        var moved = Assert.Single(await DeployAsync(Nurture(1), Nurture(2)));

        Assert.Equal((DecisionKind.Moved, 2, "guide"), (moved.Kind, moved.Version, moved.Step));
        Assert.Equal((ReasonKind.Migrated, 1, "migrated from v1"), (moved.Why!.Kind, moved.Why.Version, moved.Reason));
    }

    [Fact]
    public async Task SameVersion_WithAChangedText_MovesTheCustomerAsVersionChanged()
    {
        var moved = Assert.Single(await DeployAsync(Nurture(1), Nurture(1, guide: "then: [ { after: 8d, goto: consult } ]")));

        Assert.Equal((ReasonKind.VersionChanged, 1, "version 1 changed"), (moved.Why!.Kind, moved.Why.Version, moved.Reason));
    }

    [Fact]
    public async Task NewVersion_WithoutTheStep_ExitsTheCustomerAsStepRemoved()
    {
        var v2 = """
            journey: nurture
            version: 2
            versioning: migrate
            entry: { on: signed_up }
            start: welcome
            steps:
              welcome:
            """;

        var exited = Assert.Single(await DeployAsync(Nurture(1), v2));

        Assert.Equal((DecisionKind.Exited, 1, "guide"), (exited.Kind, exited.Version, exited.Step));
        Assert.Equal((ReasonKind.StepRemoved, 2, "guide", "version 2 has no step 'guide'"), (exited.Why!.Kind, exited.Why.Version, exited.Why.Step, exited.Reason));
    }

    [Fact]
    public async Task NewVersion_WhereTheStepHasNoWayOut_CompletesAsNoWayOut()
    {
        var decisions = await DeployAsync(Nurture(1), Nurture(2, guide: "send: { channel: push, template: nurture/guide }", consult: ""));

        Assert.Equal([DecisionKind.Moved, DecisionKind.Completed], decisions.Select(d => d.Kind));
        var completed = decisions[1].Why!;
        Assert.Equal((ReasonKind.NoWayOut, 2, "guide", "version 2: step 'guide' has no way out"),
            (completed.Kind, completed.Version, completed.Step, decisions[1].Reason));
    }

    [Fact]
    public async Task Restart_LongAfterASendWasDue_SuppressesItAsStale()
    {
        const string remind = """
            journey: remind
            entry: { on: signed_up }
            start: wait
            steps:
              wait:
                then: [ { after: 1d, goto: send } ]
              send:
                send: { channel: push, template: remind/t }
            """;
        var store = new InMemoryJourneyStore();
        store.SaveChanges([new CustomerSnapshot { Id = "old", Instances = [new InstanceSnapshot("remind", 1, 1, "wait", T0, T0)] }]);
        var decisions = new List<JourneyDecision>();
        await using var engine = new JourneyEngineBuilder()
            .UseCatalog(JourneyLoader.LoadYaml(("remind.yaml", remind)).ThrowIfInvalid())
            .AddChannel(new RecordingChannel())
            .UseTimeProvider(new FakeTimeProvider(T0.AddDays(30)))
            .UseStore(store)
            .WithMaxSendLateness(TimeSpan.FromHours(6))
            .Build();
        engine.Decisions.Subscribe(d => { lock (decisions) { decisions.Add(d); } });
        engine.Start();
        await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);

        lock (decisions)
        {
            var stale = Assert.Single(decisions, d => d.Kind == DecisionKind.Suppressed);
            Assert.Equal((ReasonKind.Stale, "stale"), (stale.Why!.Kind, stale.Reason));
        }
    }
}
