using System.Globalization;
using Journeys.Interchange;
using Journeys.Runtime;

namespace Journeys.Cli;

/// <summary>What simulate and explain share: load the folder, read and check every event line, run in virtual time.</summary>
internal static class SimulationRun
{
    public static (List<JourneyDecision>? Decisions, List<SegmentInput> Inputs, int ExitCode) Execute(string folder, string eventsFile, string? until, TextWriter stderr)
    {
        DateTimeOffset? untilTime = null;
        if (until is not null)
        {
            if (!SegmentReader.TryParseTimestamp(until, out var parsed, out var problem))
            {
                stderr.WriteLine($"journeys: --until {problem}");
                return (null, [], JourneysCommand.Usage);
            }

            untilTime = parsed;
        }

        var catalog = CatalogReport.Load(folder, stderr);
        if (catalog is null)
        {
            return (null, [], JourneysCommand.InvalidInput);
        }

        if (!File.Exists(eventsFile))
        {
            stderr.WriteLine(Directory.Exists(eventsFile)
                ? $"journeys: events file '{eventsFile}' is a folder, not a file: give the JSON lines file itself"
                : $"journeys: events file '{eventsFile}' does not exist");
            return (null, [], JourneysCommand.InvalidInput);
        }

        List<SegmentInput> inputs;
        List<string> errors;
        using (var reader = new StreamReader(eventsFile))
        {
            (inputs, errors) = SegmentReader.Read(reader, eventsFile);
        }

        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                stderr.WriteLine(error);
            }

            return (null, inputs, JourneysCommand.InvalidInput);
        }

        // Inputs after --until are not part of the run (the simulator stops there); explain must not list them.
        var run = untilTime is { } end ? inputs.Where(i => i.Timestamp <= end).ToList() : inputs;
        return (new Simulator(catalog).Run(inputs, untilTime), run, JourneysCommand.Ok);
    }

    public static string Format(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
