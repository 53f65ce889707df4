using Journeys.Diagnostics;
using Journeys.Language.Expressions;
using Journeys.Language.Loading;
using Journeys.Tests.Support;

namespace Journeys.Tests.Expressions;

/// <summary>An expression nested deeper than 32 brackets or with more than 256 operators is refused at its place before it
/// is parsed (the parser, the tree built from it and its compilation recurse per level: far deeper input overflowed the
/// stack, which no handler can catch); anything within the limits loads on a thread with a 1 MB stack.</summary>
public sealed class ExpressionLimitTests
{
    /// <summary>A journey whose entry guard is <paramref name="expression"/>: its first character stands at j.yaml:4:8.</summary>
    private static string GuardYaml(string expression) => $"""
        journey: x
        entry:
          on: signed_up
          if: "{expression}"
        start: a
        steps:
          a:
        """;

    private static string Nested(int depth) => new string('(', depth) + "1" + new string(')', depth) + " == 1";

    private static string Chain(int terms) => string.Join(" + ", Enumerable.Repeat("1", terms)) + " > 0";

    /// <summary>Loads on a thread with a 1 MB stack, as a host's worker thread may have.</summary>
    private static JourneyCatalog LoadOnSmallStack(string yaml) => SmallStack.Run(() => Diagnose.Load(yaml));

    [Theory]
    [InlineData(1000)]
    [InlineData(100_000)]
    public void DeeplyNestedBrackets_AreRefusedAtTheFirstBracketTooDeep(int depth)
    {
        var catalog = LoadOnSmallStack(GuardYaml(Nested(depth)));

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.TooLarge, $"j.yaml:4:{8 + ExpressionLexer.MaxDepth}");
        Assert.Equal("expression nesting is deeper than 32 levels of brackets", d.Message);
    }

    [Theory]
    [InlineData(20_000)]
    [InlineData(258)]
    public void LongOperatorChains_AreRefusedAtTheFirstOperatorTooMany(int terms)
    {
        var catalog = LoadOnSmallStack(GuardYaml(Chain(terms)));

        // "1 + " is 4 characters: the 257th operator is the '+' after the 257th term.
        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.TooLarge, $"j.yaml:4:{8 + (256 * 4) + 2}");
        Assert.Equal("expression has more than 256 operators", d.Message);
    }

    [Fact]
    public void NestedFunctionCalls_CountAsBrackets()
    {
        var expression = string.Concat(Enumerable.Repeat("abs(", 33)) + "1" + new string(')', 33) + " > 0";

        Diagnose.Single(LoadOnSmallStack(GuardYaml(expression)), Diagnose.Error, DiagnosticCodes.TooLarge, "j.yaml:4:139"); // the 33rd '('
    }

    [Theory]
    [InlineData("!", "true")]
    [InlineData("not ", "true")]
    [InlineData("- ", "1 < 0")]
    public void LongUnaryChains_AreRefused(string op, string operand)
    {
        var expression = string.Concat(Enumerable.Repeat(op, 10_000)) + operand;

        Diagnose.Has(LoadOnSmallStack(GuardYaml(expression)), Diagnose.Error, DiagnosticCodes.TooLarge, $"j.yaml:4:{8 + (256 * op.Length)}");
    }

    public static TheoryData<string> AtTheLimits => new()
    {
        Nested(32),
        Chain(256) [..^4] + " == 256", // 255 '+' and one '=='
        string.Concat(Enumerable.Repeat("abs(", 32)) + "1" + new string(')', 32) + " > 0",
        string.Concat(Enumerable.Repeat("!(", 32)) + "!true" + new string(')', 32), // NCalc takes no '!!': unary chains need brackets
        string.Concat(Enumerable.Repeat("not (", 32)) + "not true" + new string(')', 32),
        string.Concat(Enumerable.Repeat("- (", 32)) + "- 1" + new string(')', 32) + " > 0",
        string.Concat(Enumerable.Repeat("customer.a == 1 ? true : (", 32)) + "false" + new string(')', 32),
        string.Concat(Enumerable.Repeat("if(customer.a == 1, true, ", 32)) + "false" + new string(')', 32),
        string.Concat(Enumerable.Repeat("(1 + ", 32)) + "1" + new string(')', 32) + string.Concat(Enumerable.Repeat(" * 1", 223)) + " > 0",
        string.Join(" || ", Enumerable.Range(0, 128).Select(i => $"customer.a == {i}")) + "",
    };

    [Theory]
    [MemberData(nameof(AtTheLimits))]
    public void ExpressionsAtTheLimits_LoadAndRunOnA1MBStack(string expression)
    {
        var catalog = LoadOnSmallStack(GuardYaml(expression));

        Assert.False(catalog.HasErrors, string.Join(Environment.NewLine, catalog.Diagnostics));
    }
}
