using Journeys.Diagnostics;
using Journeys.Tests.Support;

namespace Journeys.Tests.Loading;

/// <summary>Durations and split weights that are not what the language allows, at the value's line and column.</summary>
public sealed class ValueDiagnosticsTests
{
    [Theory]
    [InlineData("7x", "'after': '7x' is not a duration")]
    [InlineData("7", "'after': '7' is not a duration")]
    [InlineData("1.5d", "'after': '1.5d' is not a duration")]
    [InlineData("d", "'after': 'd' is not a duration")]
    [InlineData("seven days", "'after': 'seven days' is not a duration")]
    [InlineData("0d", "'after' must be a positive duration, not '0d'")]
    [InlineData("-3d", "'after' must be a positive duration, not '-3d'")]
    [InlineData("999999w", "'after': '999999w' is too long a duration")]
    public void TimerDuration_NotAPositiveDuration_IsReportedAtTheValue(string value, string message)
    {
        var catalog = Diagnose.Load($"""
            journey: durations
            entry: {"{"} on: signed_up {"}"}
            start: a
            steps:
              a:
                then:
                  - after: {value}
                    goto: end
            """);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.BadDuration, "j.yaml:7:16");
        Assert.StartsWith(message, d.Message, StringComparison.Ordinal);
        Assert.Empty(catalog.Journeys);
    }

    [Fact]
    public void GoalWithin_NumberWithoutUnit_IsReportedAtTheValue()
    {
        var catalog = Diagnose.Load("""
            journey: goal
            entry: { on: signed_up }
            goal: { on: order_completed, within: 60 }
            start: a
            steps:
              a:
            """);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.BadDuration, "j.yaml:3:38");
        Assert.StartsWith("'within': '60' is not a duration", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InactiveFor_ZeroDays_IsReportedAtTheValue()
    {
        var catalog = Diagnose.Load("""
            journey: winback
            entry:
              inactive: { for: 0d, of: [login] }
            start: a
            steps:
              a:
            """);

        Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.BadDuration, "j.yaml:3:20");
    }

    [Fact]
    public void Reentry_UnknownWord_IsReportedAtTheValue()
    {
        var catalog = Diagnose.Load("""
            journey: again
            entry: { on: signed_up }
            reentry: sometimes
            start: a
            steps:
              a:
            """);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.InvalidValue, "j.yaml:3:10");
        Assert.Equal("reentry must be never, always or a duration such as 90d, not 'sometimes'", d.Message);
    }

    [Fact]
    public void Reentry_AlwaysWithAWhenEntry_IsWarnedOfAtTheValue()
    {
        var catalog = Diagnose.Load("""
            journey: again
            entry: { when: "count('interaction', 30) >= 2" }
            reentry: always
            start: a
            steps:
              a:
            """);

        var d = Diagnose.Single(catalog, Diagnose.Warning, DiagnosticCodes.InvalidValue, "j.yaml:3:10");
        Assert.StartsWith("a 'when' entry with reentry: always enters the customer again", d.Message, StringComparison.Ordinal);
        Assert.False(catalog.HasErrors);
    }

    [Theory]
    [InlineData("{ when: \"count('interaction', 30) >= 2\" }", "90d")]
    [InlineData("{ on: signed_up }", "always")]
    public void Reentry_PacedOrWithAnEventEntry_IsNotWarnedOf(string entry, string reentry)
    {
        var catalog = Diagnose.Load($"""
            journey: again
            entry: {entry}
            reentry: {reentry}
            start: a
            steps:
              a:
            """);

        Diagnose.Clean(catalog);
    }

    [Fact]
    public void CapPer_NotADuration_IsReportedAtTheValue()
    {
        var catalog = Diagnose.Load("""
            policy:
              frequency:
                - { max: 3, per: 7days }
            """, "policy.yaml");

        Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.BadDuration, "policy.yaml:3:22");
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("-5", "-5")]
    [InlineData("'abc'", "abc")]
    [InlineData("NaN", "NaN")]
    [InlineData("1e999", "1e999")]
    public void SplitWeight_NotAPositiveNumber_IsReportedAtTheWeight(string weight, string shown)
    {
        var catalog = Diagnose.Load($"""
            journey: weights
            entry: {"{"} on: signed_up {"}"}
            start: a
            steps:
              a:
                then:
                  - split:
                      - {"{"} weight: 90, goto: b {"}"}
                      - {"{"} weight: {weight}, goto: c {"}"}
              b:
              c:
            """);

        var d = Diagnose.Has(catalog, Diagnose.Error, DiagnosticCodes.BadWeight, "j.yaml:9:23");
        Assert.Equal($"a split weight must be a positive number, not '{shown}'", d.Message);
        Assert.Single(catalog.Diagnostics, x => x.Severity == DiagnosticSeverity.Error);
        Assert.Empty(catalog.Journeys);
    }

    [Fact]
    public void SplitWeight_Missing_IsReportedAtTheBranch()
    {
        var catalog = Diagnose.Load("""
            journey: weights
            entry: { on: signed_up }
            start: a
            steps:
              a:
                then:
                  - split:
                      - { weight: 90, goto: b }
                      - { goto: c }
              b:
              c:
            """);

        Diagnose.Has(catalog, Diagnose.Error, DiagnosticCodes.MissingKey, "j.yaml:9:13");
    }

    [Fact]
    public void Split_WithOneBranch_IsAnError()
    {
        var catalog = Diagnose.Load("""
            journey: weights
            entry: { on: signed_up }
            start: a
            steps:
              a:
                then:
                  - split: [ { weight: 1, goto: end } ]
            """);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.InvalidValue, "j.yaml:7:16");
        Assert.Equal("a split needs at least two branches", d.Message);
    }

    [Fact]
    public void QuietHours_NotATimeOfDay_IsReportedAtTheValue()
    {
        var catalog = Diagnose.Load("""
            policy:
              quietHours: { from: "9pm", to: "08:00" }
            """, "policy.yaml");

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.InvalidValue, "policy.yaml:2:23");
        Assert.Equal("'from' must be a local time of day such as \"09:00\", not '9pm'", d.Message);
    }
}
