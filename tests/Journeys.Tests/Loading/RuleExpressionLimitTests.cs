using System.Text.Json;
using Journeys.Diagnostics;
using Journeys.Language.Definitions;
using Journeys.Language.Loading;
using Journeys.State;
using Journeys.Tests.Support;
using static Journeys.Tests.Support.ExpressionHarness;

namespace Journeys.Tests.Loading;

/// <summary>Rule expressions have the limits of journey expressions (32 levels of brackets, 256 operators), checked on
/// Dynamic LINQ's tokens before RulesEngine parses them: deeper input overflowed the stack in its parser. Within the
/// limits a rules file loads and evaluates on a thread with a 1 MB stack.</summary>
public sealed class RuleExpressionLimitTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string R(string s, int n) => string.Concat(Enumerable.Repeat(s, n));

    private string WriteRule(string expression)
    {
        _folder.Write("j.yaml", """
            journey: j
            entry:
              on: signed_up
              if: "rule('Tiers.X')"
            start: a
            steps:
              a:
            """);
        return _folder.Write("rules/tiers.json",
            "{ \"WorkflowName\": \"Tiers\", \"Rules\": [\n  { \"RuleName\": \"X\", \"Expression\": " + JsonSerializer.Serialize(expression) + " }\n] }");
    }

    /// <summary>Loads the folder, and evaluates the guard once, on a thread with a 1 MB stack.</summary>
    private (JourneyCatalog Catalog, bool? Holds) LoadOnSmallStack() => SmallStack.Run<(JourneyCatalog, bool?)>(() =>
    {
        var catalog = JourneyLoader.LoadFolder(_folder.Path);
        bool? holds = null;
        if (!catalog.HasErrors)
        {
            var customer = new CustomerState("c1", 0);
            customer.Traits["spend12m"] = Journeys.State.Value.Number(6000);
            customer.Traits["active"] = Journeys.State.Value.Bool(true);
            holds = ((EventEntry)catalog.Definitions.Single().Entry).Guard!.IsTrue(Context(customer, rules: catalog.Rules));
        }

        return (catalog, holds);
    });

    [Theory]
    [InlineData(33, 33)]
    [InlineData(3000, 33)]
    public void DeeplyNestedBrackets_AreRefused(int depth, int character)
    {
        var path = WriteRule(R("(", depth) + "customer.spend12m" + R(")", depth) + " >= 5000");

        var d = Diagnose.Has(LoadOnSmallStack().Catalog, Diagnose.Error, DiagnosticCodes.TooLarge, $"{path}:2:5");
        Assert.Equal($"rule 'Tiers.X': the expression nesting is deeper than 32 levels of brackets (character {character})", d.Message);
    }

    [Theory]
    [InlineData(257)]
    [InlineData(20_000)]
    public void LongOperatorChains_AreRefused(int terms)
    {
        var path = WriteRule("customer.spend12m" + R(" + 1", terms - 1) + " > 0");

        var d = Diagnose.Has(LoadOnSmallStack().Catalog, Diagnose.Error, DiagnosticCodes.TooLarge, $"{path}:2:5");
        Assert.Equal($"rule 'Tiers.X': the expression has more than 256 operators (character {17 + (256 * 4) + 2})", d.Message);
    }

    public static TheoryData<string> AtTheLimits => new()
    {
        R("(", 32) + "customer.spend12m" + R(")", 32) + " >= 5000",
        "customer.spend12m" + R(" + 1", 255) + " > 0",
        R("!(", 31) + "customer.active == false" + R(")", 31),
        R("(1 + ", 32) + "customer.spend12m" + R(")", 32) + " > 0",
        R("customer.spend12m > 1 && (", 32) + "true" + R(")", 32),
        R("customer.spend12m > 0 ? true : (", 32) + "false" + R(")", 32),
        string.Join(" || ", Enumerable.Range(0, 128).Select(i => $"customer.spend12m == {i}")) + " || true",
    };

    [Theory]
    [MemberData(nameof(AtTheLimits))]
    public void ExpressionsAtTheLimits_LoadAndEvaluateOnA1MBStack(string expression)
    {
        WriteRule(expression);

        var (catalog, holds) = LoadOnSmallStack();

        Diagnose.Clean(catalog);
        Assert.True(holds);
    }
}
