using Journeys.Diagnostics;
using Journeys.Language.Loading;

namespace Journeys.Cli;

/// <summary>Loads a folder for a verb and prints its diagnostics to stderr, one per line.</summary>
internal static class CatalogReport
{
    /// <summary>Returns the catalog, or null (after printing every error) when it has errors.</summary>
    public static JourneyCatalog? Load(string folder, TextWriter stderr)
    {
        // The loader reports a missing folder as a diagnostic at 0:0; the operator named a path, so say what is at it.
        if (!Directory.Exists(folder))
        {
            stderr.WriteLine(File.Exists(folder)
                ? $"journeys: '{folder}' is a file, not a folder: give the folder that holds the journeys (*.yaml, policy.yaml, rules/, templates/)"
                : $"journeys: folder '{folder}' does not exist");
            return null;
        }

        var catalog = JourneyLoader.LoadFolder(folder);
        foreach (var diagnostic in catalog.Diagnostics)
        {
            stderr.WriteLine(diagnostic.ToString());
        }

        return catalog.HasErrors ? null : catalog;
    }

    public static int ErrorCount(JourneyCatalog catalog) => catalog.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
}
