using Journeys.Diagnostics;
using Journeys.Language.Loading;
using Journeys.Tests.Support;

namespace Journeys.Tests.Loading;

/// <summary>"errors printed ... all of them, not only the first": one load reports every error, in file order.</summary>
public sealed class MultipleErrorsTests
{
    private const string ManyErrors = """
        journey: Many_Errors
        entry:
          on: signed_up
          if: "foo == 1"
        start: a
        steps:
          a:
            sned: x
            then:
              - after: 7x
                goto: b
          b:
            then:
              - goto: nowhere
        """;

    [Fact]
    public void File_WithFiveDifferentErrors_ReportsEachAtItsPlaceInFileOrder()
    {
        var catalog = Diagnose.Load(ManyErrors);

        var errors = catalog.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => $"{d.Code} {d.Location}");
        Assert.Equal(
            [
                $"{DiagnosticCodes.InvalidValue} j.yaml:1:10",
                $"{DiagnosticCodes.UnknownName} j.yaml:4:8",
                $"{DiagnosticCodes.UnknownKey} j.yaml:8:5",
                $"{DiagnosticCodes.BadDuration} j.yaml:10:16",
                $"{DiagnosticCodes.UnknownStep} j.yaml:14:15",
            ],
            errors);
        Assert.Empty(catalog.Journeys);
    }

    [Fact]
    public void TwoBrokenFiles_ReportErrorsOfBothSortedByFileThenLine()
    {
        var catalog = JourneyLoader.LoadYaml(
            ("b.yaml", """
                journey: b
                entry: { on: signed_up }
                start: nope
                steps:
                  s:
                """),
            ("a.yaml", """
                journey: a
                entry: { on: signed_up, if: "'high' > 3" }
                start: s
                steps:
                  s:
                    then:
                      - after: 0d
                        goto: end
                """));

        Assert.Equal(
            ["a.yaml:2:30", "a.yaml:7:16", "b.yaml:3:8"],
            catalog.Diagnostics.Select(d => d.Location.ToString()));
        Assert.Empty(catalog.Journeys);
    }

    [Fact]
    public void GoodAndBrokenJourney_GoodOneStillLoads()
    {
        var catalog = JourneyLoader.LoadYaml(
            ("good.yaml", """
                journey: good
                entry: { on: signed_up }
                start: s
                steps:
                  s:
                """),
            ("bad.yaml", """
                journey: bad
                entry: { on: signed_up }
                start: s
                """));

        Assert.True(catalog.HasErrors);
        Assert.Equal("good", Assert.Single(catalog.Journeys).Id);
        Assert.Throws<JourneyLoadException>(() => catalog.ThrowIfInvalid());
    }
}
