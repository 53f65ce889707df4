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

    /// <summary>A copy of samples/journeys (and samples/actions.json beside it) in which value boost's points step goes
    /// straight to its notice instead of calling loyalty-credit, for the run that holds a silo's deliveries and kills it
    /// (MultiProcessTests): the held lane holds the silo's calls too, so they are asked again only after the kill, by the
    /// shard's next activation, and applied as of the customer's latest saved decision (docs/embedding.md, Actions),
    /// where the simulator answers at the call's instant — a difference by design, not a fault.</summary>
    private static readonly Lazy<string> WithoutCallSamples = new(() =>
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

    /// <summary>The folder of <see cref="SampleWithoutCall"/>, for the silo processes of the run that kills one.</summary>
    public static string SampleWithoutCallFolder => WithoutCallSamples.Value;

    private static readonly Lazy<JourneyCatalog> WithoutCallCatalog = new(() =>
    {
        var catalog = JourneyLoader.LoadFolder(SampleWithoutCallFolder);
        Assert.False(catalog.HasErrors, string.Join(Environment.NewLine, catalog.Diagnostics));
        return catalog;
    });

    /// <summary>The sample journeys with value boost's call left out (see <see cref="WithoutCallSamples"/>).</summary>
    public static JourneyCatalog SampleWithoutCall => WithoutCallCatalog.Value;

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
