using Journeys.Delivery;
using Journeys.Language.Loading;

namespace Journeys.Orleans.Tests;

internal static class Catalogs
{
    /// <summary>The sample journeys as the cluster tests run them: a copy of samples/journeys (and samples/actions.json
    /// beside it) in which value boost's points step goes straight to its notice instead of calling loyalty-credit. The
    /// tests compare the cluster with the simulator, which answers a call at the instant of the call; a shard applies the
    /// answer when it arrives, and a call made by a timer that fires while the test moves the clock forward arrives at
    /// the end of that move, so the two would differ by design, not by a fault. ClusterCallTests covers calls on a cluster.</summary>
    private static readonly Lazy<string> ClusterSamples = new(() =>
    {
        var source = Path.Combine(AppContext.BaseDirectory, "samples");
        var root = Directory.CreateTempSubdirectory("journeys-orleans-samples-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(root, recursive: true);
        foreach (var file in Directory.GetFiles(Path.Combine(source, "journeys"), "*", SearchOption.AllDirectories).Append(Path.Combine(source, "actions.json")))
        {
            var target = Path.Combine(root, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var boost = Path.Combine(root, "journeys", "value-boost.yaml");
        var text = File.ReadAllText(boost);
        var (from, to) = (text.IndexOf("\n  points:", StringComparison.Ordinal), text.IndexOf("\n  points-by-hand:", StringComparison.Ordinal));
        Assert.True(from > 0 && to > from, "value-boost.yaml's points and points-by-hand steps not found");
        File.WriteAllText(boost, text[..from] + "\n  points:\n    then:\n      - goto: points-notice\n" + text[to..]);
        return Path.Combine(root, "journeys");
    });

    /// <summary>The folder of <see cref="Sample"/>, for silo processes (JOURNEYS_FOLDER of the Orleans sample).</summary>
    public static string SampleFolder => ClusterSamples.Value;

    private static readonly Lazy<JourneyCatalog> SampleCatalog = new(() =>
    {
        var catalog = JourneyLoader.LoadFolder(SampleFolder);
        Assert.False(catalog.HasErrors, string.Join(Environment.NewLine, catalog.Diagnostics));
        return catalog;
    });

    /// <summary>The sample journeys (samples/journeys, value boost without its call: see <see cref="ClusterSamples"/>):
    /// entries on events, dates and inactivity, timers, caps, quiet hours.</summary>
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
