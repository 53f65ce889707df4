using Journeys.Definitions;
using Journeys.Diagnostics;
using Journeys.Loading;
using Journeys.Runtime;
using Journeys.Tests.Support;
using static Journeys.Tests.Support.ExpressionHarness;

namespace Journeys.Tests.Loading;

/// <summary><c>rules/*.json</c>: RulesEngine workflows, checked at load and referenced as <c>rule('Workflow.Rule')</c>.</summary>
public sealed class RulesFileTests : IDisposable
{
    private const string Tiers = """
        {
          "WorkflowName": "Tiers",
          "Rules": [
            { "RuleName": "HighValue", "Expression": "customer.spend12m >= 5000" },
            { "RuleName": "Churned", "Expression": "customer.active == false" }
          ]
        }
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>A journey whose entry guard (line 4, first character at column 8) is <paramref name="guard"/>.</summary>
    private void WriteJourney(string guard) => _folder.Write("j.yaml", $"""
        journey: j
        entry:
          on: signed_up
          if: "{guard}"
        start: a
        steps:
          a:
        """);

    private string At(string file, int line, int column) => $"{_folder.File(file)}:{line}:{column}";

    [Fact]
    public void RuleReference_ToAWorkflowRule_LoadsClean()
    {
        _folder.Write("rules/tiers.json", Tiers);
        WriteJourney("rule('Tiers.HighValue')");

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        Diagnose.Clean(catalog);
        Assert.Equal(["Tiers.HighValue", "Tiers.Churned"], catalog.RuleNames);
    }

    [Theory]
    [InlineData(6000.0, true)]
    [InlineData(5000.0, true)]
    [InlineData(100.0, false)]
    [InlineData(null, false)]
    public void RuleReference_Evaluated_HoldsWhenTheRuleSucceedsForTheCustomer(double? spend, bool holds)
    {
        _folder.Write("rules/tiers.json", Tiers);
        WriteJourney("rule('Tiers.HighValue')");
        var catalog = JourneyLoader.LoadFolder(_folder.Path).ThrowIfInvalid();
        var guard = ((EventEntry)catalog.Journeys.Single().Entry).Guard!;
        var customer = new CustomerState("c1", 0);
        if (spend is { } s)
        {
            customer.Traits["spend12m"] = Journeys.Expressions.Value.Number(s);
        }

        Assert.Equal(holds, guard.IsTrue(Context(customer, rules: catalog.Rules)));
    }

    [Fact]
    public void RuleReference_Misspelt_IsAnUnknownRuleWithSuggestion()
    {
        _folder.Write("rules/tiers.json", Tiers);
        WriteJourney("rule('Tiers.HighValu')");

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.UnknownRule, At("j.yaml", 4, 13));
        Assert.Equal("unknown rule 'Tiers.HighValu' (did you mean 'Tiers.HighValue'?): rules are named 'Workflow.Rule' after a workflow in rules/*.json", d.Message);
    }

    [Fact]
    public void RulesFile_InvalidJson_IsReportedAtTheLineAndColumnOfTheProblem()
    {
        var path = _folder.Write("rules/bad.json", """
            {
              "WorkflowName": "Other",
              "Rules": [
                { "RuleName": "A" "Expression": "true" }
              ]
            }
            """);

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.RulesFile, $"{path}:4:23");
        Assert.Equal("rules file is not a RulesEngine workflow (or a list of them): '\"' is invalid after a value. Expected either ',', '}', or ']'.", d.Message);
    }

    [Fact]
    public void RulesFile_InvalidJsonAfterNonAsciiText_IsReportedAtTheCharacterColumn()
    {
        var path = _folder.Write("rules/accents.json", """
            {
              "WorkflowName": "Clientèle",
              "Rules": [
                { "RuleName": "Fidélité" "Expression": "true" }
              ]
            }
            """);

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.RulesFile, $"{path}:4:30");
    }

    [Fact]
    public void RulesFile_TruncatedJson_IsReportedWithItsLine()
    {
        var path = _folder.Write("rules/cut.json", "{\n  \"WorkflowName\": \"Cut\",\n  \"Rules\": [\n");

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        Assert.Equal(DiagnosticCodes.RulesFile, Assert.Single(catalog.Diagnostics).Code);
        Assert.Equal(path, catalog.Diagnostics[0].Location.File);
        Assert.Equal(4, catalog.Diagnostics[0].Location.Line);
    }

    [Fact]
    public void Workflow_DefinedInTwoFiles_IsADuplicateAtTheSecondNamingTheFirst()
    {
        var first = _folder.Write("rules/a.json", Tiers);
        var second = _folder.Write("rules/b.json", """
            [
              { "WorkflowName": "Tiers", "Rules": [ { "RuleName": "X", "Expression": "true" } ] }
            ]
            """);

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.Duplicate, $"{second}:2:5");
        Assert.Equal($"workflow 'Tiers' is defined twice (first at {first}:2:3)", d.Message);
    }

    [Fact]
    public void Rule_DefinedTwiceInAWorkflow_IsADuplicate()
    {
        var path = _folder.Write("rules/twice.json", """
            {
              "WorkflowName": "Twice",
              "Rules": [
                { "RuleName": "A", "Expression": "true" },
                { "RuleName": "A", "Expression": "false" }
              ]
            }
            """);

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        var d = Diagnose.Has(catalog, Diagnose.Error, DiagnosticCodes.Duplicate, $"{path}:5:7"); // at the second definition
        Assert.Equal("rule 'Twice.A' is defined twice", d.Message);
    }

    [Fact]
    public void Rule_WithoutExpression_IsReportedAtTheRule()
    {
        var path = _folder.Write("rules/empty.json", """
            {
              "WorkflowName": "Empty",
              "Rules": [
                { "RuleName": "Nothing" }
              ]
            }
            """);

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.RulesFile, $"{path}:4:7");
        Assert.Equal("every rule of workflow 'Empty' needs a RuleName and an Expression", d.Message);
    }

    [Fact]
    public void RuleExpression_WithSyntaxError_IsReportedAtThatRule()
    {
        var path = _folder.Write("rules/tiers.json", """
            {
              "WorkflowName": "Tiers",
              "Rules": [
                { "RuleName": "HighValue", "Expression": "customer.spend12m >= 5000" },
                { "RuleName": "Broken", "Expression": "customer.spend12m >= >= 5" }
              ]
            }
            """);

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.RulesFile, $"{path}:5:7");
        Assert.StartsWith("rule 'Tiers.Broken': ", d.Message, StringComparison.Ordinal);
        Assert.Contains("customer.spend12m >= >= 5", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Environment.Exit(3) == null")]
    [InlineData("System.IO.File.Exists(\\\"/etc/passwd\\\")")]
    [InlineData("Type.GetType(\\\"System.Environment\\\") != null")]
    [InlineData("\\\"\\\".GetType().Assembly.GetType(\\\"System.Environment\\\").GetMethod(\\\"get_ProcessId\\\").Invoke(null, null) != null")]
    public void RuleExpression_ReachingOutsideTheCustomer_IsRefusedAtLoad(string expression)
    {
        var path = _folder.Write("rules/evil.json", $$"""
            {
              "WorkflowName": "Evil",
              "Rules": [
                { "RuleName": "Escape", "Expression": "{{expression}}" }
              ]
            }
            """);

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.RulesFile, $"{path}:4:7");
    }
}
