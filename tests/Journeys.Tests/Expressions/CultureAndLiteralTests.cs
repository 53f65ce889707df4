using System.Globalization;
using Journeys.Decisions;
using Journeys.Diagnostics;
using Journeys.Engine;
using Journeys.Interchange;
using Journeys.Language.Loading;
using Journeys.State;
using Journeys.Tests.Support;

namespace Journeys.Tests.Expressions;

/// <summary>Nothing depends on the culture or the wall clock: date literals are ISO 8601 only and read the same under
/// every culture; a string trait is a timestamp only when it is ISO 8601; numbers are finite; a binary operator needs a
/// value on each side.</summary>
public sealed class CultureAndLiteralTests
{
    private static T Under<T>(string culture, Func<T> work)
    {
        var (saved, savedUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
            return work();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (saved, savedUi);
        }
    }

    private static string Guard(string expression) => $$"""
        journey: x
        entry:
          on: go
          if: "{{expression}}"
        start: a
        steps:
          a:
            send: { channel: sms, template: t }
        """;

    /// <summary>Loads a journey guarded by <paramref name="expression"/> and runs one 'go' event at 2026-03-01 for a
    /// customer with <paramref name="traits"/>: true when the customer entered.</summary>
    private static bool Enters(string expression, params (string Key, object? Value)[] traits)
    {
        var catalog = Diagnose.Load(Guard(expression));
        Diagnose.NoErrors(catalog);
        var at = ExpressionHarness.Now;
        var decisions = new Simulator(catalog).Run(
        [
            new SegmentInput(1, at.AddMinutes(-1), null, new CustomerProfile("c1", traits.ToDictionary(t => t.Key, t => t.Value))),
            new SegmentInput(2, at, new CustomerEvent("c1", "go", at, new Dictionary<string, object?>()), null),
        ], at);
        return decisions.Any(d => d.Kind == DecisionKind.Entered);
    }

    public static TheoryData<string> Cultures => new() { "ar-SA", "fa-IR", "de-DE", "en-US", "th-TH", "ja-JP" };

    [Theory]
    [MemberData(nameof(Cultures))]
    public void DateLiterals_LoadAndEvaluateTheSameUnderEveryCulture(string culture)
    {
        var results = Under(culture, () => new[]
        {
            Enters("customer.since < #2026-01-01#", ("since", "2025-12-31T23:00:00Z")),
            Enters("customer.since < #2026-01-01#", ("since", "2026-01-01T00:00:00+01:00")), // 2025-12-31T23:00Z
            Enters("customer.since > #2026-01-01T08:00:00+08:00#", ("since", "2026-01-01T00:30:00Z")),
            Enters("customer.score > 1.5", ("score", 2.25)),
            Enters("daysSince(customer.since) > 30", ("since", "2026-01-02")),
        });

        Assert.Equal([true, true, true, true, true], results);
    }

    [Theory]
    [InlineData("#01/02/2026#")]
    [InlineData("#2026/01/02#")]
    [InlineData("#Jan 2 2026#")]
    [InlineData("#10:30#")]
    public void DateLiteral_NotIso_IsALoadErrorWithAHint(string literal)
    {
        var catalog = Under("en-US", () => Diagnose.Load(Guard($"customer.since < {literal}")));

        var d = Diagnose.Has(catalog, Diagnose.Error, DiagnosticCodes.ExpressionSyntax, "j.yaml:4:25");
        Assert.StartsWith($"date literal {literal} is not ISO 8601: write the date as #yyyy-MM-dd#", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10:30")]
    [InlineData("Dec 31")]
    [InlineData("31/12")]
    [InlineData("Monday")]
    public void TraitThatIsATimeOrDayWithoutADate_IsNotATimestamp(string trait)
    {
        // Were it read as a time today (or Dec 31 this year), daysSince would depend on the day the test runs.
        Assert.Null(Value.String(trait).TryGetTicks());
        Assert.True(Enters("daysSince(customer.at) > 100000", ("at", trait))); // null: +infinity, the spec's rule
    }

    [Fact]
    public void TraitThatIsIso_IsATimestamp()
    {
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero).UtcTicks, Value.String("2026-01-02").TryGetTicks());
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 2, 0, 0, TimeSpan.Zero).UtcTicks, Value.String("2026-01-02T10:00:00+08:00").TryGetTicks());
    }

    [Theory]
    [InlineData("customer.x < 1e400", 13)]
    [InlineData("customer.x > -1e309", 14)]
    public void NumberPastTheLargestDouble_IsALoadError(string expression, int column)
    {
        var catalog = Diagnose.Load(Guard(expression));

        var d = Diagnose.Has(catalog, Diagnose.Error, DiagnosticCodes.ExpressionSyntax, $"j.yaml:4:{8 + column}");
        Assert.StartsWith("number 1e", d.Message, StringComparison.Ordinal);
        Assert.Contains("is out of range", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("if: && true", "j.yaml:4:7", "the value is anchored as '&&', which no alias uses: a value that starts with '&' must be quoted")]
    [InlineData("if: \"&& true\"", "j.yaml:4:8", "expression syntax error: ")]
    [InlineData("if: \"true &&\"", "j.yaml:4:", "expression syntax error: ")]
    [InlineData("if: \"customer.x == == 1\"", "j.yaml:4:", "expression syntax error: ")]
    public void BinaryOperatorMissingAValue_IsAnError(string guard, string location, string message)
    {
        var catalog = Diagnose.Load($"journey: x\nentry:\n  on: go\n  {guard}\nstart: a\nsteps:\n  a:\n");

        var d = Assert.Single(catalog.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.StartsWith(location, d.Location.ToString(), StringComparison.Ordinal);
        Assert.StartsWith(message, d.Message, StringComparison.Ordinal);
        Assert.Empty(catalog.Journeys);
    }

    [Theory]
    [InlineData("!customer.vip && -customer.x < 1 || not (customer.y == 'a')")]
    [InlineData("customer.x > 1 ? true : false")]
    [InlineData("count('a', 7) >= 1 and customer.name != 'x&&y'")]
    [InlineData("customer.n * -2 < 3e10 && customer.t > #2026-01-01T10:00:00Z#")]
    public void WellFormedOperators_Load(string expression) => Diagnose.NoErrors(Diagnose.Load(Guard(expression)));

    [Fact]
    public void SplitWeightsAddingPastTheLargestNumber_IsALoadError()
    {
        var catalog = Diagnose.Load("""
            journey: x
            entry: { on: go }
            start: a
            steps:
              a:
                then:
                  - split:
                      - { weight: 1e308, goto: b }
                      - { weight: 1e308, goto: c }
              b:
              c:
            """);

        var d = Diagnose.Has(catalog, Diagnose.Error, DiagnosticCodes.BadWeight, "j.yaml:8:11");
        Assert.Equal("the split's weights add up past the largest number: use smaller weights (only their ratios matter)", d.Message);
    }
}
