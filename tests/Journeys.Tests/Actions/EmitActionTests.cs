using Journeys.Decisions;
using Journeys.Tests.Runtime;
using Journeys.Tests.Support;
using static Journeys.Tests.Runtime.Sim;

namespace Journeys.Tests.Actions;

/// <summary>A step's <c>emit:</c>: an event for the same customer at the same instant, applied after the input that caused
/// it and all its decisions, in emit order, acting like any event; a chain of more than 8 stops with <c>failed</c>.</summary>
public sealed class EmitActionTests
{
    private const string Boost = """
        journey: boost
        entry: { on: order_completed }
        start: welcome-vip
        steps:
          welcome-vip:
            send: { channel: email, template: vip/welcome }
            emit:
              - { event: vip_joined, properties: { source: "'boost'", points: "customer.points * 2" } }
              - { event: vip_told }
        """;

    [Fact]
    public void Emit_EventAnotherJourneyEntersOn_EntersItAfterTheCausingDecisionsWithItsProperties()
    {
        var catalog = Load(Boost, """
            journey: club
            entry: { on: vip_joined, if: "event.source == 'boost' && event.points == 400" }
            start: hello
            steps:
              hello:
                then: [ { on: vip_told, goto: told } ]
              told:
            """);

        var lines = Lines(Run(catalog, new Script().Identify("c1", T, traits: ("points", 200)).Track("c1", "order_completed", T.AddHours(1)), T.AddDays(1)));

        Assert.Equal(
        [
            "2026-01-05T11:00:00Z c1 entered welcome-vip (on order_completed)",
            "2026-01-05T11:00:00Z c1 sent welcome-vip email:vip/welcome",
            "2026-01-05T11:00:00Z c1 emitted welcome-vip (emit vip_joined)",
            "2026-01-05T11:00:00Z c1 emitted welcome-vip (emit vip_told)",
            "2026-01-05T11:00:00Z c1 completed welcome-vip",
            "2026-01-05T11:00:00Z c1 entered hello (on vip_joined)", // its guard read the properties: source 'boost', points 2 x 200
            "2026-01-05T11:00:00Z c1 moved told from hello (on vip_told)",
            "2026-01-05T11:00:00Z c1 completed told",
        ], lines);
    }

    [Fact]
    public void Emit_EventTheSameRunWaitsFor_MovesItAtTheSameInstant()
    {
        var lines = Lines(Run("""
            journey: self
            entry: { on: go }
            start: a
            steps:
              a:
                emit: { event: ping }
                then: [ { on: ping, goto: b }, { after: 1d, goto: end } ]
              b:
            """, new Script().Track("c1", "go", T), T.AddDays(2)));

        Assert.Equal(
        [
            "2026-01-05T10:00:00Z c1 entered a (on go)",
            "2026-01-05T10:00:00Z c1 emitted a (emit ping)",
            "2026-01-05T10:00:00Z c1 moved b from a (on ping)",
            "2026-01-05T10:00:00Z c1 completed b",
        ], lines);
    }

    [Fact]
    public void Emit_EventAnExitReads_ExitsOtherJourneys()
    {
        var catalog = Load("""
            journey: nurture
            entry: { on: signed_up }
            exit: [ { on: vip_joined } ]
            start: wait
            steps:
              wait:
                then: [ { after: 30d, goto: end } ]
            """, """
            journey: boost
            entry: { on: order_completed }
            start: s
            steps:
              s:
                emit: { event: vip_joined }
            """);

        var lines = Lines(Run(catalog, new Script().Track("c1", "signed_up", T).Track("c1", "order_completed", T.AddDays(1)), T.AddDays(40)));

        Assert.Contains("2026-01-06T10:00:00Z c1 exited wait (exit:vip_joined)", lines);
    }

    [Fact]
    public void Emit_AtAStepATimerReaches_IsAppliedAtTheTimersTimeNotAtTheNextInput()
    {
        var catalog = Load("""
            journey: later
            entry: { on: signed_up }
            start: wait
            steps:
              wait:
                then: [ { after: 7d, goto: tell } ]
              tell:
                emit: { event: week_passed }
            """, """
            journey: listener
            entry: { on: week_passed }
            start: s
            steps:
              s:
            """);

        var lines = Lines(Run(catalog, new Script().Track("c1", "signed_up", T).Track("c1", "login", T.AddDays(30)), T.AddDays(30)));

        Assert.Contains("2026-01-12T10:00:00Z c1 entered s (on week_passed)", lines);
    }

    [Fact]
    public void Emit_ChainOfMoreThanEight_StopsWithAFailedDecisionInsteadOfTheNinth()
    {
        var decisions = Run("""
            journey: echo
            entry: { on: tick }
            reentry: always
            start: s
            steps:
              s:
                emit: { event: tick }
            """, new Script().Track("c1", "tick", T), T.AddDays(1));

        Assert.Equal(9, decisions.Count(d => d.Kind == DecisionKind.Entered)); // the input's, then the eight emitted
        Assert.Equal(8, decisions.Count(d => d.Kind == DecisionKind.Emitted));
        var failed = Assert.Single(decisions, d => d.Kind == DecisionKind.Failed);
        Assert.Equal("emit-chain:tick: more than 8 chained events at one instant", failed.Reason);
        Assert.Equal(ReasonKind.EmitChain, failed.Why!.Kind);
    }

    [Fact]
    public void Emit_ReservedEventName_IsALoadErrorAtItsName()
    {
        var catalog = Diagnose.Load("""
            journey: bad
            entry: { on: go }
            start: s
            steps:
              s:
                emit: { event: $done }
            """);

        var d = Diagnose.Single(catalog, Diagnose.Error, Journeys.Diagnostics.DiagnosticCodes.InvalidValue, "j.yaml:6:20");
        Assert.Equal("'$done' is reserved: names starting with '$' ($done, $failed) are the engine's own; emit an event of your own name, such as done_done", d.Message);
        Assert.Empty(catalog.Journeys);
    }

    [Fact]
    public void Emit_UnknownKey_IsALoadErrorWithTheKeyItMeant()
    {
        var catalog = Diagnose.Load("""
            journey: bad
            entry: { on: go }
            start: s
            steps:
              s:
                emit: { evnt: vip_joined }
            """);

        var d = Diagnose.Has(catalog, Diagnose.Error, Journeys.Diagnostics.DiagnosticCodes.UnknownKey, "j.yaml:6:13");
        Assert.StartsWith("unknown key 'evnt' in emit (did you mean 'event'?)", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Set_KeyWrittenWithCustomerPrefix_IsALoadErrorWithTheNameToWrite()
    {
        var catalog = Diagnose.Load("""
            journey: bad
            entry: { on: go }
            start: s
            steps:
              s:
                set: { customer.stage: "'vip'" }
            """);

        var d = Diagnose.Single(catalog, Diagnose.Error, Journeys.Diagnostics.DiagnosticCodes.InvalidValue, "j.yaml:6:12");
        Assert.Equal("'set' names traits without 'customer.': write stage, not customer.stage", d.Message);
    }

    [Fact]
    public void Set_ExpressionWithAnUnknownName_IsALoadErrorAtTheName()
    {
        var catalog = Diagnose.Load("""
            journey: bad
            entry: { on: go }
            start: s
            steps:
              s:
                set: { stage: "event.kind" }
            """);

        Assert.True(catalog.HasErrors);
        Assert.Contains(catalog.Diagnostics, d => d.Location.Line == 6);
    }
}
