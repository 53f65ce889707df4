using Journeys.Diagnostics;
using Journeys.Tests.Support;

namespace Journeys.Tests.Loading;

/// <summary>References between steps and the shape of the step graph: unknown start and goto targets (errors), steps
/// that cannot be reached or cannot be left (warnings), a <c>then</c> with nothing in it (error).</summary>
public sealed class StepGraphDiagnosticsTests
{
    [Fact]
    public void Start_NamingNoStep_IsReportedAtTheStartValueWithSuggestion()
    {
        var catalog = Diagnose.Load("""
            journey: bad-start
            entry: { on: signed_up }
            start: gide
            steps:
              guide:
            """);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.UnknownStep, "j.yaml:3:8");
        Assert.Equal("start step 'gide' is not defined (did you mean 'guide'?); steps are guide", d.Message);
        Assert.Empty(catalog.Journeys);
    }

    [Fact]
    public void Goto_NamingNoStep_IsReportedAtTheGotosValueWithSuggestion()
    {
        var catalog = Diagnose.Load("""
            journey: bad-goto
            entry: { on: signed_up }
            start: guide
            steps:
              guide:
                then:
                  - after: 7d
                    goto: consul
              consult:
            """);

        var d = Diagnose.Has(catalog, Diagnose.Error, DiagnosticCodes.UnknownStep, "j.yaml:8:15");
        Assert.Equal("goto 'consul': no such step (did you mean 'consult'?); steps are guide, consult (or end)", d.Message);
        Assert.Empty(catalog.Journeys);
    }

    [Fact]
    public void Goto_InSplitBranchNamingNoStep_IsReportedAtThatBranchsGotoValue()
    {
        var catalog = Diagnose.Load("""
            journey: bad-branch
            entry: { on: signed_up }
            start: a
            steps:
              a:
                then:
                  - split:
                      - { weight: 50, goto: b }
                      - { weight: 50, goto: nowhere }
              b:
            """);

        var d = Diagnose.Has(catalog, Diagnose.Error, DiagnosticCodes.UnknownStep, "j.yaml:9:33");
        Assert.StartsWith("goto 'nowhere': no such step", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Step_NeverReachedFromStart_IsAWarningAtTheStepAndTheJourneyLoads()
    {
        var catalog = Diagnose.Load("""
            journey: orphan
            entry: { on: signed_up }
            start: a
            steps:
              a:
              orphan:
            """);

        var d = Diagnose.Single(catalog, Diagnose.Warning, DiagnosticCodes.DeadStep, "j.yaml:6:3");
        Assert.Equal("step 'orphan' can never be reached from start 'a'", d.Message);
        Assert.Equal("j.yaml:6:3: warning: step 'orphan' can never be reached from start 'a'", d.ToString());
        Assert.Single(catalog.Journeys);
    }

    [Fact]
    public void Step_WhoseOnlyWayOutLeadsBackToItself_IsAWarningThatItCanNeverBeLeft()
    {
        var catalog = Diagnose.Load("""
            journey: loop
            entry: { on: signed_up }
            start: a
            steps:
              a:
                then:
                  - on: ping
                    goto: a
            """);

        var d = Diagnose.Single(catalog, Diagnose.Warning, DiagnosticCodes.DeadStep, "j.yaml:5:3");
        Assert.StartsWith("step 'a' can never be left for good", d.Message, StringComparison.Ordinal);
        Assert.Single(catalog.Journeys);
    }

    [Fact]
    public void Steps_InACycleWithNoWayToTheEnd_AreEachWarnedAbout()
    {
        var catalog = Diagnose.Load("""
            journey: cycle
            entry: { on: signed_up }
            start: a
            steps:
              a:
                then:
                  - after: 1d
                    goto: b
              b:
                then:
                  - after: 1d
                    goto: a
            """);

        Assert.Equal(2, catalog.Diagnostics.Count);
        Diagnose.Has(catalog, Diagnose.Warning, DiagnosticCodes.DeadStep, "j.yaml:5:3");
        Diagnose.Has(catalog, Diagnose.Warning, DiagnosticCodes.DeadStep, "j.yaml:9:3");
    }

    [Fact]
    public void Step_InACycleWithAnExit_IsNotWarnedAbout()
    {
        var catalog = Diagnose.Load("""
            journey: cycle-with-exit
            entry: { on: signed_up }
            start: a
            steps:
              a:
                then:
                  - on: done
                    goto: end
                  - after: 1d
                    goto: b
              b:
                then:
                  - after: 1d
                    goto: a
            """);

        Diagnose.Clean(catalog);
    }

    [Fact]
    public void Then_EmptyList_IsAnErrorAtTheList()
    {
        var catalog = Diagnose.Load("""
            journey: stuck
            entry: { on: signed_up }
            start: a
            steps:
              a:
                then: []
            """);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.DeadStep, "j.yaml:6:11");
        Assert.StartsWith("step 'a' has a 'then' with no transition: customers could never leave it", d.Message, StringComparison.Ordinal);
        Assert.Empty(catalog.Journeys);
    }

    [Fact]
    public void Then_WithNoValue_IsAnErrorJustAfterTheKey()
    {
        var catalog = Diagnose.Load("""
            journey: stuck
            entry: { on: signed_up }
            start: a
            steps:
              a:
                then:
            """);

        Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.DeadStep, "j.yaml:6:10");
        Assert.Empty(catalog.Journeys);
    }

    [Fact]
    public void IfBranch_ToItsOwnStep_IsAnErrorBecauseCustomersWouldLoopForever()
    {
        var catalog = Diagnose.Load("""
            journey: spin
            entry: { on: signed_up }
            start: a
            steps:
              a:
                then:
                  - if: "customer.vip == true"
                    goto: a
                  - after: 1d
                    goto: end
            """);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.DeadStep, "j.yaml:7:9");
        Assert.Equal("step 'a' branches to itself on arrival: customers would loop forever", d.Message);
    }

    [Fact]
    public void Transition_AfterAnUnconditionalGoto_IsAWarningThatItCanNeverFire()
    {
        var catalog = Diagnose.Load("""
            journey: shadowed
            entry: { on: signed_up }
            start: a
            steps:
              a:
                then:
                  - goto: end
                  - after: 1d
                    goto: end
            """);

        var d = Diagnose.Single(catalog, Diagnose.Warning, DiagnosticCodes.DeadStep, "j.yaml:8:9");
        Assert.Equal("this transition of step 'a' can never fire: an earlier one always does", d.Message);
    }

    [Fact]
    public void Step_NamedEnd_IsAnError()
    {
        var catalog = Diagnose.Load("""
            journey: named-end
            entry: { on: signed_up }
            start: a
            steps:
              a:
              end:
            """);

        Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.InvalidValue, "j.yaml:6:3");
    }
}
