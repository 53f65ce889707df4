using Journeys.Language.Loading;

namespace Journeys.Orleans.Tests;

internal static class Catalogs
{
    private static readonly Lazy<JourneyCatalog> SampleCatalog = new(() =>
    {
        var catalog = JourneyLoader.LoadFolder(Path.Combine(AppContext.BaseDirectory, "samples", "journeys"));
        Assert.False(catalog.HasErrors, string.Join(Environment.NewLine, catalog.Diagnostics));
        return catalog;
    });

    /// <summary>The sample journeys (samples/journeys): entries on events, dates and inactivity, timers, caps, quiet hours.</summary>
    public static JourneyCatalog Sample => SampleCatalog.Value;
}
