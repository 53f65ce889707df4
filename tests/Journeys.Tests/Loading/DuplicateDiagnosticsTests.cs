using Journeys.Diagnostics;
using Journeys.Language.Loading;
using Journeys.Tests.Support;

namespace Journeys.Tests.Loading;

/// <summary>Ids that must be unique: journeys in a folder, the one policy.</summary>
public sealed class DuplicateDiagnosticsTests
{
    private const string Journey = """
        journey: welcome
        entry: { on: signed_up }
        start: a
        steps:
          a:
        """;

    [Fact]
    public void JourneyId_DefinedInTwoFiles_IsReportedAtTheSecondIdNamingTheFirst()
    {
        var catalog = JourneyLoader.LoadYaml(("a.yaml", Journey), ("b.yaml", Journey));

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.Duplicate, "b.yaml:1:10");
        Assert.Equal("duplicate journey id 'welcome' (first defined at a.yaml:1:10)", d.Message);
    }

    [Fact]
    public void JourneyId_DefinedInTwoFilesOnDisk_IsReportedWithBothPaths()
    {
        using var folder = new TempFolder();
        folder.Write("a.yaml", Journey);
        folder.Write("b.yml", Journey);

        var catalog = JourneyLoader.LoadFolder(folder.Path);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.Duplicate, $"{folder.File("b.yml")}:1:10");
        Assert.Equal($"duplicate journey id 'welcome' (first defined at {folder.File("a.yaml")}:1:10)", d.Message);
    }

    [Fact]
    public void Policy_DefinedInTwoFiles_IsReportedAtTheSecond()
    {
        const string policy = """
            policy:
              whenCapped: skip
            """;

        var catalog = JourneyLoader.LoadYaml(("policy.yaml", policy), ("z-more-policy.yaml", policy));

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.Duplicate, "z-more-policy.yaml:1:1");
        Assert.Equal("a folder has at most one policy; policy.yaml defines one already", d.Message);
    }

    [Fact]
    public void Tier_DefinedAsDefault_IsAnErrorAtItsName()
    {
        var catalog = Diagnose.Load("""
            policy:
              tiers:
                default: "true"
            """, "policy.yaml");

        Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.InvalidValue, "policy.yaml:3:5");
    }
}
