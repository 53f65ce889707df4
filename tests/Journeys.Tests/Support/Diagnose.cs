using Journeys.Diagnostics;
using Journeys.Language.Loading;

namespace Journeys.Tests.Support;

/// <summary>Assertions on loader diagnostics that print every diagnostic when they fail.</summary>
internal static class Diagnose
{
    public const DiagnosticSeverity Error = DiagnosticSeverity.Error;
    public const DiagnosticSeverity Warning = DiagnosticSeverity.Warning;

    /// <summary>Loads one in-memory file named <paramref name="file"/>.</summary>
    public static JourneyCatalog Load(string yaml, string file = "j.yaml") => JourneyLoader.LoadYaml((file, yaml));

    /// <summary>Asserts the catalog reports exactly one diagnostic, of this severity and code, at <c>file:line:column</c>.</summary>
    public static Diagnostic Single(JourneyCatalog catalog, DiagnosticSeverity severity, string code, string location)
    {
        Assert.True(catalog.Diagnostics.Count == 1, $"expected exactly one diagnostic, got:{Environment.NewLine}{Dump(catalog.Diagnostics)}");
        return Has(catalog.Diagnostics, severity, code, location);
    }

    /// <summary>Asserts a diagnostic of this severity and code is reported at <c>file:line:column</c> (others may be too).</summary>
    public static Diagnostic Has(JourneyCatalog catalog, DiagnosticSeverity severity, string code, string location) =>
        Has(catalog.Diagnostics, severity, code, location);

    public static Diagnostic Has(IEnumerable<Diagnostic> diagnostics, DiagnosticSeverity severity, string code, string location)
    {
        var list = diagnostics.ToList();
        var match = list.FirstOrDefault(d => d.Severity == severity && d.Code == code && d.Location.ToString() == location);
        Assert.True(match is not null,
            $"expected {severity} {code} at {location}; got:{Environment.NewLine}{Dump(list)}");
        return match!;
    }

    /// <summary>Asserts the catalog has an error at that place and loaded no journey.</summary>
    public static Diagnostic Refused(JourneyCatalog catalog, string code, string location)
    {
        var d = Has(catalog, Error, code, location);
        Assert.Empty(catalog.Journeys);
        return d;
    }

    public static void NoErrors(JourneyCatalog catalog) =>
        Assert.False(catalog.HasErrors, $"expected no errors, got:{Environment.NewLine}{Dump(catalog.Diagnostics)}");

    public static void Clean(JourneyCatalog catalog) =>
        Assert.True(catalog.Diagnostics.Count == 0, $"expected no diagnostics, got:{Environment.NewLine}{Dump(catalog.Diagnostics)}");

    public static string Dump(IEnumerable<Diagnostic> diagnostics)
    {
        var lines = diagnostics.Select(d => $"  {d.Code} {d}").ToList();
        return lines.Count == 0 ? "  (none)" : string.Join(Environment.NewLine, lines);
    }
}
