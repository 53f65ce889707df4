using System.Globalization;

namespace Journeys.Tests.Architecture;

/// <summary>Issue #17's standing rules for the source: Core's namespaces depend on each other in one direction (no
/// cycles, read from the compiled assembly's type references), and no source file under src/ is over 600 lines.</summary>
public sealed class CoreArchitectureTests
{
    private const int MaxLines = 600;

    [Fact]
    public void CoreNamespaces_HaveNoCycles()
    {
        var graph = NamespaceGraph.Build(typeof(Journeys.Engine.JourneyEngine).Assembly, "Journeys");

        var cycles = NamespaceCycles.Describe(graph);

        Assert.True(cycles.Length == 0, cycles);
    }

    /// <summary>The cycle test is only as good as the reading of Core's IL: every type, method and field token in it
    /// resolves (none skipped).</summary>
    [Fact]
    public void CoreNamespaceGraph_ResolvesEveryTokenOfCoresIL()
    {
        var graph = NamespaceGraph.Build(typeof(Journeys.Engine.JourneyEngine).Assembly, "Journeys");

        Assert.Equal(0, graph.UnresolvedTokens);
        Assert.Contains("Journeys.Engine", graph.Namespaces);
        Assert.NotEmpty(graph.Edges);
    }

    /// <summary>Core's stages, bottom to top (docs/architecture.md): a namespace may use those below it, never one above.
    /// A new namespace must be placed here, so its place in the flow is a decision someone made.</summary>
    public static readonly string[] Layers =
    [
        "Journeys.Diagnostics",
        "Journeys.Files",
        "Journeys.State",
        "Journeys.Calendars",
        "Journeys.Delivery",
        "Journeys.Decisions",
        "Journeys.Language.Yaml",
        "Journeys.Language.Expressions",
        "Journeys.Language.Rules",
        "Journeys.Language.Templates",
        "Journeys.Language.Definitions",
        "Journeys.Inspection",
        "Journeys.Analytics",
        "Journeys.Language.Loading",
        "Journeys.Language.Graph",
        "Journeys.Interchange",
        "Journeys.Compilation",
        "Journeys.Interpretation",
        "Journeys.Timers",
        "Journeys.Policy",
        "Journeys.Telemetry",
        "Journeys.Outbox",
        "Journeys.Persistence",
        "Journeys.Engine",
    ];

    [Fact]
    public void CoreNamespaces_DependOnlyOnLayersBelowThem()
    {
        var graph = NamespaceGraph.Build(typeof(Journeys.Engine.JourneyEngine).Assembly, "Journeys");
        var rank = Layers.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.Ordinal);

        var unplaced = graph.Namespaces.Where(n => !rank.ContainsKey(n)).Order(StringComparer.Ordinal).ToList();
        var upward = graph.Edges.Where(e => rank.TryGetValue(e.From, out var from) && rank.TryGetValue(e.To, out var to) && from < to)
            .Select(e => $"  {e.From} uses {e.To} (above it): {e.Example}")
            .ToList();

        Assert.True(unplaced.Count == 0, "namespaces with no place in CoreArchitectureTests.Layers: " + string.Join(", ", unplaced));
        Assert.True(upward.Count == 0, $"{upward.Count} dependencies point up the layers:{Environment.NewLine}{string.Join(Environment.NewLine, upward)}");
    }

    [Fact]
    public void SourceFiles_AreAtMost600Lines()
    {
        var root = RepositoryRoot();
        var src = Path.Combine(root, "src");

        var offenders = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(root, path).Replace('\\', '/'))
            .Where(path => !path.Split('/').Any(part => part is "bin" or "obj"))
            .Select(path => (Path: path, Lines: File.ReadAllLines(Path.Combine(root, path)).Length))
            .Where(file => file.Lines > MaxLines)
            .OrderByDescending(file => file.Lines)
            .ThenBy(file => file.Path, StringComparer.Ordinal)
            .Select(file => string.Create(CultureInfo.InvariantCulture, $"  {file.Path}: {file.Lines} lines"))
            .ToList();

        Assert.True(
            offenders.Count == 0,
            $"{offenders.Count} source file(s) under src/ over {MaxLines} lines:{Environment.NewLine}{string.Join(Environment.NewLine, offenders)}");
    }

    /// <summary>The folder holding Journeys.sln, found by walking up from the test's output folder.</summary>
    internal static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Journeys.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds Journeys.sln.");
    }
}
