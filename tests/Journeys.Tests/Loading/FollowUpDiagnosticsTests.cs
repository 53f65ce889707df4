using Journeys.Diagnostics;
using Journeys.Language.Loading;
using Journeys.Tests.Support;

namespace Journeys.Tests.Loading;

/// <summary>Diagnostics added after the first review of the samples: dead transitions, quoting mistakes, rules files.</summary>
public sealed class FollowUpDiagnosticsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void LongerTimer_AfterAShorterOne_IsWarnedItNeverFires()
    {
        var catalog = Diagnose.Load("""
            journey: j
            entry: { on: a }
            start: s
            steps:
              s:
                then:
                  - { after: 7d, goto: end }
                  - { after: 9d, goto: end }
            """);

        var d = Diagnose.Single(catalog, Diagnose.Warning, DiagnosticCodes.DeadStep, "j.yaml:8:9");
        Assert.Equal("this 'after: 9d' of step 's' can never fire: an earlier 'after: 7d' fires first", d.Message);
    }

    [Fact]
    public void WaitingTransition_InAStepThatMovesOnArrival_IsWarnedItNeverFires()
    {
        var catalog = Diagnose.Load("""
            journey: j
            entry: { on: a }
            start: s
            steps:
              s:
                then:
                  - { on: y, goto: end }
                  - { goto: end }
            """);

        var d = Diagnose.Single(catalog, Diagnose.Warning, DiagnosticCodes.DeadStep, "j.yaml:7:9");
        Assert.Contains("the step always moves on at arrival", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DoubleQuotedString_InsideAnExpression_SaysStringsUseSingleQuotes()
    {
        var catalog = Diagnose.Load("""
            journey: j
            entry: { on: a, if: "customer.id == \"c1\"" }
            start: s
            steps:
              s: ~
            """);

        var d = Diagnose.Refused(catalog, DiagnosticCodes.ExpressionSyntax, "j.yaml:2:39");
        Assert.Equal("\"c1\" is read as a name: write strings in single quotes, as in 'c1'", d.Message);
    }

    [Fact]
    public void TraitJoinedWithAString_Compiles()
    {
        var catalog = Diagnose.Load("""
            journey: j
            entry: { on: a, if: "customer.firstName + ' ' + customer.lastName == 'Li Wei'" }
            start: s
            steps:
              s: ~
            """);

        Assert.Empty(catalog.Diagnostics);
    }

    [Fact]
    public void RulesFile_CommentBeforeTheList_Loads()
    {
        _folder.Write("rules/tiers.json", """
            // tiers for the policy
            [ { "WorkflowName": "Tiers", "Rules": [ { "RuleName": "High", "Expression": "customer.spend12m >= 5000" } ] } ]
            """);

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        Assert.Empty(catalog.Diagnostics);
        Assert.Equal(["Tiers.High"], catalog.RuleNames);
    }

    [Fact]
    public void RulesFile_WorkflowTwiceInOneFile_IsReportedAtTheSecond()
    {
        var path = _folder.Write("rules/twice.json", """
            [
              { "WorkflowName": "A", "Rules": [ { "RuleName": "R", "Expression": "true" } ] },
              { "WorkflowName": "A", "Rules": [ { "RuleName": "R", "Expression": "true" } ] }
            ]
            """);

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        var d = Diagnose.Has(catalog, Diagnose.Error, DiagnosticCodes.Duplicate, $"{path}:3:5");
        Assert.Equal($"workflow 'A' is defined twice (first at {path}:2:5)", d.Message);
    }
}
