using System.Globalization;
using System.Text;
using Journeys.Decisions;
using Journeys.Engine;
using Journeys.Interchange;
using Journeys.Language.Loading;

namespace Journeys.Cli;

/// <summary>What simulate and explain share: load the folder, read and check every event line, run in virtual time.</summary>
internal static class SimulationRun
{
    /// <summary>Runs the folder over the events file; <paramref name="applying"/> is passed to <see cref="Simulator.Run"/>.</summary>
    /// <returns>The decisions (null when the run could not start, with <c>ExitCode</c> saying why), the inputs of the run
    /// (those at or before <c>--until</c>), the catalog, the exit code, and every input of the file.</returns>
    public static (List<JourneyDecision>? Decisions, List<SegmentInput> Inputs, JourneyCatalog? Catalog, int ExitCode, List<SegmentInput> All) Execute(
        string folder, string eventsFile, string? until, TextWriter stderr, Action<SegmentInput, long>? applying = null)
    {
        if (Start(folder, eventsFile, until, stderr, out var untilTime, out var catalog) is { } refused)
        {
            return (null, [], null, refused, []);
        }

        var (inputs, errors) = SegmentReader.ReadFile(eventsFile);
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                stderr.WriteLine(Escape(error));
            }

            return (null, inputs, null, JourneysCommand.InvalidInput, inputs);
        }

        // Inputs after --until are not part of the run (the simulator stops there); explain must not list them.
        var run = untilTime is { } end ? inputs.Where(i => i.Timestamp <= end).ToList() : inputs;
        return (Run(catalog, inputs, untilTime, applying), run, catalog, JourneysCommand.Ok, inputs);
    }

    /// <summary>What every run checks first: <c>--until</c>, the folder (its diagnostics printed) and that the events file
    /// is a file; null when all is well, else the exit code (the reason printed to <paramref name="stderr"/>).</summary>
    internal static int? Start(string folder, string eventsFile, string? until, TextWriter stderr, out DateTimeOffset? untilTime,
        out JourneyCatalog catalog)
    {
        untilTime = null;
        catalog = null!;
        if (until is not null)
        {
            if (!SegmentReader.TryParseTimestamp(until, out var parsed, out var problem))
            {
                stderr.WriteLine($"journeys: --until {problem}");
                return JourneysCommand.Usage;
            }

            untilTime = parsed;
        }

        catalog = CatalogReport.Load(folder, stderr)!;
        if (catalog is null)
        {
            return JourneysCommand.InvalidInput;
        }

        if (Directory.Exists(eventsFile) || !(File.Exists(eventsFile) || new FileInfo(eventsFile).LinkTarget is not null))
        {
            stderr.WriteLine(Directory.Exists(eventsFile)
                ? $"journeys: events file '{eventsFile}' is a folder, not a file: give the JSON lines file itself"
                : $"journeys: events file '{eventsFile}' does not exist");
            return JourneysCommand.InvalidInput;
        }

        return null;
    }

    /// <summary>The run itself, shared by simulate, explain and test: the folder's journeys over the inputs, in virtual
    /// time, until <paramref name="until"/> (default: the last input's time).</summary>
    public static List<JourneyDecision> Run(JourneyCatalog catalog, IEnumerable<SegmentInput> inputs, DateTimeOffset? until,
        Action<SegmentInput, long>? applying = null, IReadOnlyList<Journeys.Delivery.IJourneyAction>? actions = null) =>
        new Simulator(catalog, null, actions ?? []).Run(inputs, until, applying);

    public static string Format(DateTimeOffset t)
    {
        // Decisions come an instant at a time: the last instant's text serves the next decision too.
        var last = _lastFormatted;
        if (last is not null && last.Ticks == t.UtcTicks)
        {
            return last.Text;
        }

        var text = t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
        _lastFormatted = new Formatted(t.UtcTicks, text);
        return text;
    }

    private static Formatted? _lastFormatted;

    private sealed record Formatted(long Ticks, string Text);

    /// <summary>Control characters (and line separators) in ids, traits and properties are shown escaped, so a value
    /// cannot break a line (of the timeline, or an error that quotes it) or act on the terminal: <c>\n</c>, <c>\u0007</c>.</summary>
    internal static string Escape(string text)
    {
        if (!text.Any(IsEscaped))
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\n' => escaped.Append("\\n"),
                '\r' => escaped.Append("\\r"),
                '\t' => escaped.Append("\\t"),
                _ when IsEscaped(c) => escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => escaped.Append(c),
            };
        }

        return escaped.ToString();
    }

    private static bool IsEscaped(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';
}
