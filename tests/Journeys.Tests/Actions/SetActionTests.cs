using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.Persistence;
using Journeys.Sqlite;
using Journeys.State;
using Journeys.Tests.Runtime;
using Journeys.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static Journeys.Tests.Runtime.Sim;

namespace Journeys.Tests.Actions;

/// <summary>A step's <c>set:</c>: every expression evaluated with the traits as on arrival, then stored (null removes),
/// decision <c>updated</c>; tiers, <c>when</c> entries and stores see the change as after an identify.</summary>
public sealed class SetActionTests
{
    private const string Vip = """
        journey: vip
        entry: { on: joined_vip }
        start: welcome
        steps:
          welcome:
            set: { stage: "'vip'", before: "customer.stage", points: "customer.points + 200", coupon: ~ }
            then:
              - if: "customer.stage == 'vip' && customer.before == 'new' && customer.points == 300 && customer.coupon == null"
                goto: thanks
              - goto: end
          thanks:
            send: { channel: email, template: vip/thanks }
        """;

    [Fact]
    public void Set_OnArrival_StoresEveryValueEvaluatedWithTheTraitsAsOnArrival()
    {
        var lines = Lines(Run(Vip, new Script()
            .Identify("c1", T, traits: [("stage", "new"), ("points", 100), ("coupon", "X1")])
            .Track("c1", "joined_vip", T.AddHours(1)), T.AddDays(1)));

        Assert.Equal(
        [
            "2026-01-05T11:00:00Z c1 entered welcome (on joined_vip)",
            "2026-01-05T11:00:00Z c1 updated welcome (set stage, before, points, coupon)",
            "2026-01-05T11:00:00Z c1 moved thanks from welcome (if customer.stage == 'vip' && customer.before == 'new' && customer.points == 300 && customer.coupon == null)",
            "2026-01-05T11:00:00Z c1 sent thanks email:vip/thanks",
            "2026-01-05T11:00:00Z c1 completed thanks",
        ], lines);
    }

    [Fact]
    public void SetAndEmit_ReadingEntry_SeeTheRunsEnteringEvent()
    {
        // The spec's welcome-vip: `vipSince: "entry.timestamp"`; an emit's properties read entry.* too.
        var lines = Lines(Run("""
            journey: vip
            entry: { on: joined_vip }
            start: welcome
            steps:
              welcome:
                set: { vipSince: "entry.timestamp", source: "entry.source" }
                emit: { event: vip_joined, properties: { order: "entry.orderId" } }
                then:
                  - if: "customer.source == 'boost' && customer.vipSince == entry.timestamp"
                    goto: thanks
                  - goto: end
              thanks:
                then:
                  - on: vip_joined
                    if: "event.order == 'o-7'"
                    goto: end
            """, new Script()
            .Identify("c1", T)
            .Track("c1", "joined_vip", T.AddHours(1), ("source", "boost"), ("orderId", "o-7")), T.AddDays(1)));

        Assert.Contains("2026-01-05T11:00:00Z c1 moved thanks from welcome (if customer.source == 'boost' && customer.vipSince == entry.timestamp)", lines);
        Assert.Contains(lines, l => l.StartsWith("2026-01-05T11:00:00Z c1 moved end from thanks", StringComparison.Ordinal) ||
                                    l.StartsWith("2026-01-05T11:00:00Z c1 completed thanks", StringComparison.Ordinal));
    }

    [Fact]
    public void Set_ExpressionThatIsNull_RemovesTheTrait()
    {
        var lines = Lines(Run("""
            journey: clear
            entry: { on: reset }
            start: s
            steps:
              s:
                set: { note: "customer.missing" }
                then:
                  - if: "customer.note == null"
                    goto: cleared
                  - goto: end
              cleared:
            """, new Script().Identify("c1", T, traits: ("note", "hello")).Track("c1", "reset", T), T.AddDays(1)));

        Assert.Contains("2026-01-05T10:00:00Z c1 moved cleared from s (if customer.note == null)", lines);
    }

    [Fact]
    public void Set_ThatMakesAWhenConditionTrue_EntersThatJourneyAtTheSameInstantAfterTheStepsDecisions()
    {
        var catalog = Load(Vip, """
            journey: vip-club
            entry: { when: "customer.stage == 'vip'" }
            start: hello
            steps:
              hello:
                send: { channel: push, template: club/hello }
            """);

        var lines = Lines(Run(catalog, new Script().Track("c1", "joined_vip", T), T.AddDays(1)));

        Assert.Equal(
        [
            "2026-01-05T10:00:00Z c1 entered welcome (on joined_vip)",
            "2026-01-05T10:00:00Z c1 updated welcome (set stage, before, points, coupon)",
            "2026-01-05T10:00:00Z c1 completed welcome (always)",
            "2026-01-05T10:00:00Z c1 entered hello (when)",
            "2026-01-05T10:00:00Z c1 sent hello push:club/hello",
            "2026-01-05T10:00:00Z c1 completed hello",
        ], lines);
    }

    [Fact]
    public void Set_AtAStepATimerReaches_EntersTheWhenJourneyAtTheTimersTime()
    {
        var catalog = Load("""
            journey: promote
            entry: { on: signed_up }
            start: wait
            steps:
              wait:
                then: [ { after: 7d, goto: promote } ]
              promote:
                set: { stage: "'regular'" }
            """, """
            journey: regulars
            entry: { when: "customer.stage == 'regular'" }
            start: hello
            steps:
              hello:
            """);

        var lines = Lines(Run(catalog, new Script().Track("c1", "signed_up", T), T.AddDays(30)));

        Assert.Contains("2026-01-12T10:00:00Z c1 entered hello (when)", lines);
    }

    [Fact]
    public void Set_OfATraitATierReads_SendsUnderTheNewTier()
    {
        var catalog = JourneyLoader.LoadYaml(("policy.yaml", """
            policy:
              tiers:
                high-value: "customer.spend12m >= 5000"
                normal: "true"
            """), ("j.yaml", """
            journey: upgrade
            entry: { on: big_order }
            start: s
            steps:
              s:
                set: { spend12m: "customer.spend12m + 5000" }
                send: { channel: email, template: t }
            """));
        Assert.False(catalog.HasErrors, string.Join("\n", catalog.Diagnostics));

        var decisions = Run(catalog, new Script().Identify("c1", T, traits: ("spend12m", 100)).Track("c1", "big_order", T), T.AddDays(1));

        Assert.Equal("high-value", Assert.Single(decisions, d => d.Kind == DecisionKind.Sent).Tier);
    }

    [Fact]
    public void Set_OfTheTraitADateEntryReads_SchedulesThatDate()
    {
        var catalog = Load(SpecJourneys.OneStep("renewal", "date: { trait: serviceEndsAt, offset: -7d, at: \"10:00\" }"), """
            journey: subscribe
            entry: { on: subscribed }
            start: s
            steps:
              s:
                set: { serviceEndsAt: "'2026-03-01T00:00:00Z'" }
            """);

        var lines = Lines(Run(catalog, new Script().Track("c1", "subscribed", T), T.AddDays(60)));

        Assert.Contains("2026-02-22T10:00:00Z c1 entered hello (date serviceEndsAt)", lines);
    }

    [Fact]
    public async Task Set_WithASqliteStore_IsSavedAndReadBackAfterARestart()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "journeys.db");
        var time = new FakeTimeProvider(T);
        using (var store = new SqliteJourneyStore(path))
        await using (var engine = Build(store, time))
        {
            await engine.StartAsync();
            await engine.PublishAsync(new CustomerEvent("c1", "joined_vip"));
            await engine.DrainAsync();
        }

        using var reopened = new SqliteJourneyStore(path);
        await using var restarted = Build(reopened, time);
        await restarted.StartAsync();
        var view = await restarted.InspectCustomerAsync("c1");

        Assert.NotNull(view);
        Assert.Equal("vip", view.Traits["stage"]);
        Assert.False(view.Traits.ContainsKey("coupon"));
    }

    private static JourneyEngine Build(IJourneyStore store, FakeTimeProvider time) => new JourneyEngineBuilder()
        .UseCatalog(Load(Vip))
        .AddChannel(new RecordingChannel())
        .UseTimeProvider(time)
        .UseStore(store)
        .WithPartitions(1)
        .Build();
}
