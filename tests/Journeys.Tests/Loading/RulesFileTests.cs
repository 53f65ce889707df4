using Journeys.Decisions;
using Journeys.Diagnostics;
using Journeys.Engine;
using Journeys.Language.Definitions;
using Journeys.Language.Loading;
using Journeys.State;
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
        var guard = ((EventEntry)catalog.Definitions.Single().Entry).Guard!;
        var customer = new CustomerState("c1", 0);
        if (spend is { } s)
        {
            customer.Traits["spend12m"] = Journeys.State.Value.Number(s);
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

    [Theory]
    [InlineData("customer.id.gettype().Module.Name != null", "gettype", "")]
    [InlineData("customer.signedUp < DateTime.Now", "Now", "the clock")]
    [InlineData("DateTime.UtcNow.Hour > 12", "UtcNow", "the clock")]
    [InlineData("customer.birthday == DateTime.Today", "Today", "the clock")]
    [InlineData("Guid.NewGuid() != Guid.Empty", "Guid", "")]
    [InlineData("customer.id.GetHashCode() % 2 == 0", "GetHashCode", "")]
    public void RuleExpression_ReadingTypesTheClockOrChance_IsRefusedAtLoadNamingWhat(string expression, string name, string hint)
    {
        var path = _folder.Write("rules/evil.json", $$"""
            {
              "WorkflowName": "Evil",
              "Rules": [
                { "RuleName": "Fine", "Expression": "customer.spend12m >= 5000" },
                { "RuleName": "Reflect", "Expression": "{{expression}}" }
              ]
            }
            """);

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.RulesFile, $"{path}:5:7");
        Assert.StartsWith($"rule 'Evil.Reflect': '{name}' (character {expression.IndexOf(name, StringComparison.Ordinal) + 1}) is not allowed in a rule expression", d.Message, StringComparison.Ordinal);
        Assert.Contains(hint, d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("customer.now == true")]                         // a trait may be called now
    [InlineData("Math.Abs(-2) == 2 && \\\"abc\\\".StartsWith(\\\"a\\\")")]
    [InlineData("customer.note == \\\"GetType() and DateTime.Now\\\"")] // text, not names
    public void RuleExpression_UsingTraitsAndPlainFunctions_LoadsClean(string expression)
    {
        _folder.Write("rules/fine.json", $$"""
            {
              "WorkflowName": "Fine",
              "Rules": [ { "RuleName": "Rule", "Expression": "{{expression}}" } ]
            }
            """);

        Diagnose.Clean(JourneyLoader.LoadFolder(_folder.Path));
    }

    [Fact]
    public void RuleExpression_InALocalParamOrANestedRuleOrAGlobalParam_IsCheckedToo()
    {
        var path = _folder.Write("rules/evil.json", """
            {
              "WorkflowName": "Evil",
              "GlobalParams": [ { "Name": "clock", "Expression": "DateTime.UtcNow" } ],
              "Rules": [
                {
                  "RuleName": "Hidden",
                  "Expression": "true",
                  "Operator": "And",
                  "Rules": [ { "RuleName": "Inner", "Expression": "customer.id.GetType() != null" } ],
                  "LocalParams": [ { "Name": "g", "Expression": "Guid.NewGuid()" } ]
                }
              ]
            }
            """);

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        var refused = catalog.Diagnostics.Where(d => d.Code == DiagnosticCodes.RulesFile && d.Severity == DiagnosticSeverity.Error)
            .Select(d => (At: d.Location.ToString(), d.Message)).ToList();
        Assert.Contains(refused, r => r.At == $"{path}:2:3" && r.Message.StartsWith("global param 'clock' of workflow 'Evil': 'UtcNow'", StringComparison.Ordinal));
        Assert.Contains(refused, r => r.At == $"{path}:6:7" && r.Message.StartsWith("rule 'Evil.Hidden' > 'Inner': 'GetType'", StringComparison.Ordinal));
        Assert.Contains(refused, r => r.At == $"{path}:6:7" && r.Message.StartsWith("local param 'g' of rule 'Evil.Hidden': 'Guid'", StringComparison.Ordinal));
        Assert.Empty(catalog.RuleNames);
    }

    [Fact]
    public void Rule_WithActions_IsRefusedAtLoad()
    {
        var path = _folder.Write("rules/actions.json", """
            {
              "WorkflowName": "Acts",
              "Rules": [
                {
                  "RuleName": "Output",
                  "Expression": "customer.spend12m > 1",
                  "Actions": { "OnSuccess": { "Name": "OutputExpression", "Context": { "Expression": "customer.spend12m * 2" } } }
                }
              ]
            }
            """);

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.RulesFile, $"{path}:5:7");
        Assert.Equal("rule 'Acts.Output': actions (OnSuccess, OnFailure) are not supported: Journeys reads only whether a rule holds", d.Message);
    }

    [Fact]
    public void RuleResult_AfterTheTraitsChange_IsEvaluatedAgain()
    {
        _folder.Write("rules/tiers.json", Tiers);
        _folder.Write("j.yaml", """
            journey: j
            entry: { on: poke, if: "rule('Tiers.HighValue')" }
            reentry: always
            start: a
            steps:
              a:
            """);
        var catalog = JourneyLoader.LoadFolder(_folder.Path);
        Diagnose.Clean(catalog);
        var t = Journeys.Tests.Runtime.Sim.T;
        var script = new Journeys.Tests.Runtime.Script()
            .Identify("c1", t, traits: ("spend12m", 100.0))
            .Track("c1", "poke", t.AddMinutes(1))           // does not hold: remembered for these traits
            .Track("c1", "poke", t.AddMinutes(2))
            .Identify("c1", t.AddMinutes(3), traits: ("spend12m", 6000.0))
            .Track("c1", "poke", t.AddMinutes(4))           // the traits changed: evaluated again, holds
            .Identify("c1", t.AddMinutes(5), traits: ("spend12m", 10.0))
            .Track("c1", "poke", t.AddMinutes(6));          // and again: no longer holds

        var entered = new Simulator(catalog).Run(script.Inputs, t.AddHours(1)).Where(d => d.Kind == DecisionKind.Entered).Select(d => d.Timestamp);

        Assert.Equal([t.AddMinutes(4)], entered);
    }
}
