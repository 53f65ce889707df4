using Journeys.Diagnostics;
using Journeys.Loading;

namespace Journeys.Cli;

/// <summary>Loads a folder for a verb and prints its diagnostics to stderr, one per line.</summary>
internal static class CatalogReport
{
    /// <summary>Returns the catalog, or null (after printing every error) when it has errors.</summary>
    public static JourneyCatalog? Load(string folder, TextWriter stderr)
    {
        var catalog = JourneyLoader.LoadFolder(folder);
        foreach (var diagnostic in catalog.Diagnostics)
        {
            stderr.WriteLine(diagnostic.ToString());
        }

        return catalog.HasErrors ? null : catalog;
    }

    public static int ErrorCount(JourneyCatalog catalog) => catalog.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
}
