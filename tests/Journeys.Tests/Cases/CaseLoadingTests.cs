using System.Text.RegularExpressions;
using Journeys.Diagnostics;
using Journeys.Tests.Support;

namespace Journeys.Tests.Cases;

/// <summary><c>case:</c> and <c>maxCases:</c> at load time (spec v2, "Cases"): the spec's example loads, and each misuse is
/// an error at its file:line:column with a hint, never a crash.</summary>
public sealed class CaseLoadingTests
{
    internal const string SpecFeedback = """
        journey: feedback
        version: 1
        entry: { on: feedback_submitted }
        case: event.ticketId
        maxCases: 20
        start: open
        steps:
          open:
            then:
              - { on: feedback_answered, goto: end }
        """;

    [Fact]
    public void SpecExample_Loads_WithItsKeyAndLimit()
    {
        var catalog = Diagnose.Load(SpecFeedback);

        Diagnose.Clean(catalog);
        var journey = Assert.Single(catalog.Definitions);
        Assert.Equal("event.ticketId", journey.Case!.Text);
        Assert.Equal(20, journey.MaxCases);
    }

    [Fact]
    public void MaxCases_NotWritten_IsOneHundred()
    {
        var catalog = Diagnose.Load(SpecFeedback.Replace("maxCases: 20\n", "", StringComparison.Ordinal));

        Diagnose.Clean(catalog);
        Assert.Equal(100, Assert.Single(catalog.Definitions).MaxCases);
    }

    [Fact]
    public void Case_OnAWhenEntry_IsRefusedWithAHint()
    {
        var catalog = Diagnose.Load(SpecFeedback.Replace("entry: { on: feedback_submitted }", "entry: { when: \"true\" }", StringComparison.Ordinal));

        var d = Diagnose.Refused(catalog, DiagnosticCodes.InvalidValue, "j.yaml:4:7");
        Assert.Contains("'case' needs an 'on:' entry", d.Message, StringComparison.Ordinal);
        Assert.Contains("write entry: { on: <event> }", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("2.5")]
    [InlineData("many")]
    public void MaxCases_NotAPositiveWholeNumber_IsRefused(string value)
    {
        var catalog = Diagnose.Load(SpecFeedback.Replace("maxCases: 20", "maxCases: " + value, StringComparison.Ordinal));

        var d = Diagnose.Refused(catalog, DiagnosticCodes.InvalidValue, "j.yaml:5:11");
        Assert.Equal($"'maxCases' must be a positive whole number (the most runs open at once per customer, default 100), not '{value}'", d.Message);
    }

    [Fact]
    public void MaxCases_WithoutCase_IsRefused()
    {
        var catalog = Diagnose.Load(SpecFeedback.Replace("case: event.ticketId\n", "", StringComparison.Ordinal));

        var d = Diagnose.Refused(catalog, DiagnosticCodes.InvalidValue, "j.yaml:4:11");
        Assert.Contains("add case: event.<property>", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Case_ReadingAnUnknownName_IsAnExpressionErrorAtItsColumn()
    {
        var catalog = Diagnose.Load(SpecFeedback.Replace("case: event.ticketId", "case: evnt.ticketId", StringComparison.Ordinal));

        var d = Diagnose.Refused(catalog, DiagnosticCodes.UnknownName, "j.yaml:4:7");
        Assert.Contains("did you mean 'event.ticketId'", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Case_NotAnExpression_IsRefused()
    {
        var catalog = Diagnose.Load(SpecFeedback.Replace("case: event.ticketId", "case: [a, b]", StringComparison.Ordinal));

        Diagnose.Refused(catalog, DiagnosticCodes.InvalidValue, "j.yaml:4:7");
    }

    [Fact]
    public void DocsExamples_OfCasesAndTheEnteringEvent_LoadClean()
    {
        var docs = File.ReadAllText(Path.Combine(Architecture.CoreArchitectureTests.RepositoryRoot(), "docs", "journey-language.md"))
            .Replace("\r\n", "\n", StringComparison.Ordinal);
        var blocks = Regex.Matches(docs, @"^<!-- check: cases/[^\n]*-->\n```yaml\n(.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(2, blocks.Count);
        Assert.All(blocks, block => Diagnose.Clean(Diagnose.Load(block)));
    }
}
