using Journeys.Delivery;
using Journeys.Language.Loading;

namespace Journeys.Orleans.Tests;

internal static class Catalogs
{
    /// <summary>The folder of <see cref="Sample"/> (samples/journeys as copied beside the tests, with samples/actions.json
    /// beside it), for silo processes (JOURNEYS_FOLDER of the Orleans sample). Value boost calls loyalty-credit: a shard
    /// applies the answer as of the call's instant (see docs/embedding.md, Actions), so the cluster decides what the
    /// simulator does although the tests move the clock in jumps.</summary>
    public static string SampleFolder => Path.Combine(AppContext.BaseDirectory, "samples", "journeys");

    private static readonly Lazy<JourneyCatalog> SampleCatalog = new(() =>
    {
        var catalog = JourneyLoader.LoadFolder(SampleFolder);
        Assert.False(catalog.HasErrors, string.Join(Environment.NewLine, catalog.Diagnostics));
        return catalog;
    });

    /// <summary>The sample journeys (samples/journeys): entries on events, dates and inactivity, timers, caps, quiet hours,
    /// value boost's call.</summary>
    public static JourneyCatalog Sample => SampleCatalog.Value;

    /// <summary>The actions the sample journeys call (value boost's loyalty-credit), answered as samples/actions.json says.</summary>
    public static ActionAnswers SampleActions { get; } = ActionAnswers.ReadFile(Path.Combine(AppContext.BaseDirectory, "samples", "actions.json"));

    private static readonly Lazy<JourneyCatalog> WithoutSchedulesCatalog = new(() =>
    {
        var source = SampleFolder;
        var copy = Path.Combine(Path.GetTempPath(), "journeys-orleans-" + Guid.NewGuid().ToString("N"));
        try
        {
            foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
            {
                if (Path.GetExtension(file) == ".yaml" && File.ReadAllText(file).Contains("\n  schedule:", StringComparison.Ordinal))
                {
                    continue;
                }

                var target = Path.Combine(copy, Path.GetRelativePath(source, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }

            var catalog = JourneyLoader.LoadFolder(copy);
            Assert.False(catalog.HasErrors, string.Join(Environment.NewLine, catalog.Diagnostics));
            return catalog;
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    });

    /// <summary>The sample journeys without those with a <c>schedule:</c> entry, for runs that kill a silo: an occurrence
    /// that falls while a shard is down is not made up, so such a run rightly differs from the simulator there.</summary>
    public static JourneyCatalog SampleWithoutSchedules => WithoutSchedulesCatalog.Value;
}
