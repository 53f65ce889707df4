using System.Text.Json;
using Journeys.Diagnostics;
using Journeys.Language.Loading;
using Journeys.State;
using Journeys.Tests.Support;
using Value = Journeys.State.Value;

namespace Journeys.Tests.Loading;

/// <summary>Rule expressions reach the customer's traits and a fixed set of string, number and date members, nothing
/// else: RulesEngine's Dynamic LINQ would otherwise let a rule read type metadata (<c>customer.GetType().Assembly</c>)
/// and call methods of the input's own class. Refused rules are errors at load, at the rule, and never run.</summary>
public sealed class RuleExpressionSafetyTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>A workflow <c>W</c> whose one rule <c>R</c> (its <c>"RuleName"</c> at line 4, column 7) is <paramref name="expression"/>.</summary>
    private string WriteRule(string expression) => _folder.Write("rules/w.json", $$"""
        {
          "WorkflowName": "W",
          "Rules": [
            { "RuleName": "R", "Expression": {{JsonSerializer.Serialize(expression)}} }
          ]
        }
        """);

    [Theory]
    [InlineData("customer.GetType().Assembly.FullName != null", "GetType")]
    [InlineData("customer.GetType().Assembly.Location != null", "GetType")]
    [InlineData("customer.GetType().Module.FullyQualifiedName != null", "GetType")]
    [InlineData("customer.GetType().Assembly.DefinedTypes.First().FullName != null", "GetType")]
    [InlineData("customer.gettype().Assembly != null", "gettype")]
    [InlineData("customer.name.GetType().FullName != null", "GetType")]
    [InlineData("customer.spend12m.GetType() != null", "GetType")]
    [InlineData("\"\".GetType().Assembly.FullName != null", "GetType")]
    [InlineData("(customer).name != null", "name")]
    [InlineData("customer.name.Assembly != null", "Assembly")]
    [InlineData("typeof(string) != null", "typeof")]
    [InlineData("new (1 as x) != null", "new")]
    [InlineData("customer is \"System.Object\"", "is")]
    [InlineData("Type.GetType(\"System.Environment\") != null", "Type")]
    [InlineData("Environment.ProcessId > 0", "Environment")]
    [InlineData("AppDomain.CurrentDomain != null", "AppDomain")]
    [InlineData("System.IO.File.Exists(\"/etc/passwd\")", "System")]
    [InlineData("Convert.ToString(customer.spend12m) != null", "Convert")]
    [InlineData("customer.SetDynamicPropertyValue(\"spend12m\", 1) == null", "SetDynamicPropertyValue")]
    [InlineData("customer.GetDynamicPropertyValue(\"spend12m\") != null", "GetDynamicPropertyValue")]
    [InlineData("DateTime.UtcNow.Year > 2000", "UtcNow")]
    [InlineData("@0 == null", "@0")]
    [InlineData("string('a', 9) != null", "string")]
    [InlineData("custmer.spend12m > 1", "custmer")]
    public void RuleExpression_OutsideTheAllowList_IsRefusedAtLoadNamingFileRuleAndMember(string expression, string refused)
    {
        var path = WriteRule(expression);

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.RulesFile, $"{path}:4:7");
        Assert.StartsWith($"rule 'W.R': '{refused}' (character ", d.Message, StringComparison.Ordinal);
        Assert.Contains("is not allowed in a rule expression", d.Message, StringComparison.Ordinal);
        Assert.Empty(catalog.RuleNames);
    }

    [Fact]
    public void RuleExpression_Refused_SaysWhereInTheExpression()
    {
        WriteRule("customer.spend12m > 1 && customer.GetType() != null");

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        var d = Assert.Single(catalog.Diagnostics);
        Assert.Equal("rule 'W.R': 'GetType' (character 35) is not allowed in a rule expression: rules read the customer's " +
            "traits (customer.trait) with operators and the string, number, date and Math members listed in " +
            "journey-language.md (Rules)", d.Message);
    }

    [Fact]
    public void RuleExpression_RefusedInAGlobalParam_IsReportedAtTheWorkflow()
    {
        var path = _folder.Write("rules/w.json", """
            {
              "WorkflowName": "W",
              "GlobalParams": [ { "Name": "where", "Expression": "customer.GetType().Assembly.Location" } ],
              "Rules": [ { "RuleName": "R", "Expression": "where != null" } ]
            }
            """);

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.RulesFile, $"{path}:2:3");
        Assert.StartsWith("global param 'where' of workflow 'W': 'GetType' (character 10) is not allowed", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RuleExpression_RefusedInALocalParam_IsReportedAtTheRule()
    {
        var path = _folder.Write("rules/w.json", """
            {
              "WorkflowName": "W",
              "Rules": [
                { "RuleName": "R", "LocalParams": [ { "Name": "t", "Expression": "customer.GetType()" } ], "Expression": "t != null" }
              ]
            }
            """);

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.RulesFile, $"{path}:4:7");
        Assert.StartsWith("local param 't' of rule 'W.R': 'GetType' (character 10) is not allowed", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RuleExpression_RefusedInANestedRule_IsReportedAtTheOuterRule()
    {
        // The loader asks every rule for an Expression, so nested rules come with one on the outer rule.
        var path = _folder.Write("rules/w.json", """
            {
              "WorkflowName": "W",
              "Rules": [
                { "RuleName": "R", "Expression": "true", "Operator": "And", "Rules": [
                  { "RuleName": "Inner", "Expression": "customer.GetType() != null" }
                ] }
              ]
            }
            """);

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.RulesFile, $"{path}:4:7");
        Assert.StartsWith("rule 'W.R' > 'Inner': 'GetType' (character 10) is not allowed", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RuleActions_InANestedRule_AreRefusedAtTheOuterRule()
    {
        var path = _folder.Write("rules/w.json", """
            {
              "WorkflowName": "W",
              "Rules": [
                { "RuleName": "R", "Expression": "true", "Operator": "And",
                  "Rules": [ { "RuleName": "Inner", "Expression": "true",
                    "Actions": { "OnSuccess": { "Name": "OutputExpression", "Context": { "Expression": "1" } } } } ] }
              ]
            }
            """);

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.RulesFile, $"{path}:4:7");
        Assert.Equal("rule 'W.R' > 'Inner': actions (OnSuccess, OnFailure) are not supported: Journeys reads only whether a rule holds", d.Message);
        Assert.Empty(catalog.RuleNames);
    }

    public static TheoryData<string, bool> AllowedExpressions() => new()
    {
        { "customer.spend12m >= 5000 && customer.orders12m >= 2", true },
        { "customer.level == \"gold\"", true },
        { "customer.vip == true and not (customer.name == \"Bob\")", true },
        { "customer.id == \"c1\" && customer[\"level\"] != null", true },
        { "Customer.Spend12m > 1", true },
        { "customer.spend12m >= Math.Pow(10, 3) + Math.Abs(-1)", true },
        { "customer.name == \" ann \".Trim().Substring(0, 1).ToUpper() + \"nn\"", true },
        { "customer.signedUp >= DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(30)", true },
        { "customer.signedUp < DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.FromHours(0))", false },
        { "customer.orders12m > DateTime(2024, 3, 1).Day", true },
        { "customer.level in (\"gold\", \"silver\")", true },
        { "customer.name.StartsWith(\"A\") && customer.name.Length == 3", true },
        { "customer.name.ToLowerInvariant().Contains(\"nn\")", true },
        { "customer.signedUp.AddDays(30) > customer.lastOrder", false },
        { "customer.signedUp.Year == 2024 && customer.signedUp.DayOfWeek == DayOfWeek.Friday", true },
        { "Math.Round(customer.spend12m / 7, 1) == 857.1", true },
    };

    [Theory]
    [MemberData(nameof(AllowedExpressions))]
    public void RuleExpression_InsideTheAllowList_LoadsAndEvaluates(string expression, bool holds)
    {
        WriteRule(expression);

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        Diagnose.Clean(catalog);
        var customer = new CustomerState("c1", 0);
        customer.Traits["spend12m"] = Value.Number(6000);
        customer.Traits["orders12m"] = Value.Number(3);
        customer.Traits["balance"] = Value.Number(-12);
        customer.Traits["name"] = Value.String("Ann");
        customer.Traits["level"] = Value.String("gold");
        customer.Traits["vip"] = Value.Bool(true);
        customer.Traits["signedUp"] = Value.Timestamp(new DateTimeOffset(2024, 3, 1, 9, 0, 0, TimeSpan.Zero));
        customer.Traits["lastOrder"] = Value.Timestamp(new DateTimeOffset(2024, 4, 20, 9, 0, 0, TimeSpan.Zero));
        Assert.Equal(holds, catalog.Rules.Evaluate(catalog.Rules.Resolve("W.R")!.Value, customer, out _));
    }

    [Fact]
    public void RuleExpression_UsingAGlobalParam_LoadsAndEvaluates()
    {
        _folder.Write("rules/w.json", """
            {
              "WorkflowName": "W",
              "GlobalParams": [ { "Name": "threshold", "Expression": "5000" } ],
              "Rules": [ { "RuleName": "R", "LocalParams": [ { "Name": "spend", "Expression": "customer.spend12m" } ], "Expression": "spend >= threshold" } ]
            }
            """);

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        Diagnose.Clean(catalog);
        var customer = new CustomerState("c1", 0);
        customer.Traits["spend12m"] = Value.Number(6000);
        Assert.True(catalog.Rules.Evaluate(catalog.Rules.Resolve("W.R")!.Value, customer, out _));
    }
}
