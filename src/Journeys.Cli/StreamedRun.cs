using Journeys.Decisions;
using Journeys.Engine;
using Journeys.Interchange;
using Journeys.Language.Loading;

namespace Journeys.Cli;

/// <summary>simulate and explain without holding the run. The events file is read twice, one line at a time: first every
/// line is checked (a bad line is reported with its number, and nothing runs), then the lines are parsed again — ahead,
/// on another core — and run in order (<see cref="Simulator.RunInOrder"/>), each instant's decisions handed on once the
/// run has moved past it. So memory holds the customers and one instant's decisions, however long the file. A file
/// whose lines are not in timestamp order is the exception: its inputs are held and sorted, as before.</summary>
internal sealed class StreamedRun
{
    private readonly string _events;
    private readonly RunProgress? _progress;

    private StreamedRun(JourneyCatalog catalog, string events, DateTimeOffset? until, bool ordered, RunProgress? progress)
    {
        Catalog = catalog;
        _events = events;
        Until = until;
        Ordered = ordered;
        _progress = progress;
    }

    /// <summary>The journeys.</summary>
    public JourneyCatalog Catalog { get; }

    /// <summary>The end of the run (<c>--until</c>), or null for the last event's time.</summary>
    public DateTimeOffset? Until { get; }

    /// <summary>The actions that answer the run's calls (<c>--actions</c>); none: every call answers <c>{}</c>.</summary>
    public IReadOnlyList<Journeys.Delivery.IJourneyAction> Actions { get; private set; } = [];

    /// <summary>Whether the file's lines are in timestamp order (then nothing is held).</summary>
    public bool Ordered { get; }

    /// <summary>Checks the run can start and every line of the events file; <paramref name="seen"/> is told of each good
    /// input. Null when it cannot start (the reasons printed, the exit code returned).</summary>
    public static (StreamedRun? Run, int ExitCode) Check(string folder, string eventsFile, string? until, TextWriter stderr,
        RunProgress? progress = null, Action<SegmentInput>? seen = null, string? actionsFile = null)
    {
        IReadOnlyList<Journeys.Delivery.IJourneyAction> actions = [];
        if (actionsFile is not null)
        {
            if (ActionsFile.Read(actionsFile, out var problem) is not { } read)
            {
                stderr.WriteLine(SimulationRun.Escape("journeys: " + problem));
                return (null, JourneysCommand.Usage);
            }

            actions = read;
        }

        if (SimulationRun.Start(folder, eventsFile, until, stderr, out var untilTime, out var catalog) is { } refused)
        {
            return (null, refused);
        }

        if (actionsFile is not null && !ActionsFile.CoversCalls(catalog, actions, actionsFile, stderr))
        {
            return (null, JourneysCommand.InvalidInput);
        }

        progress?.Phase("checking");
        var errors = new List<string>();
        var ordered = true;
        var last = long.MinValue;
        foreach (var (input, error) in SegmentReader.ReadLines(eventsFile, progress is null ? null : bytes => progress.Read(bytes)))
        {
            if (input is null)
            {
                errors.Add(error!);
                continue;
            }

            ordered &= input.Timestamp.UtcTicks >= last;
            last = input.Timestamp.UtcTicks;
            seen?.Invoke(input);
        }

        progress?.End();
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                stderr.WriteLine(SimulationRun.Escape(error));
            }

            return (null, JourneysCommand.InvalidInput);
        }

        return (new StreamedRun(catalog, eventsFile, untilTime, ordered, progress) { Actions = actions }, JourneysCommand.Ok);
    }

    /// <summary>Runs, handing each decision to <paramref name="decided"/> in the order the CLI promises.</summary>
    public void Run(Action<JourneyDecision> decided, Action<SegmentInput, long>? applying = null)
    {
        _progress?.Phase("simulating");
        var lines = SegmentReader.ReadLines(_events, _progress is null ? null : bytes => _progress.Read(bytes))
            .Where(l => l.Input is not null).Select(l => l.Input!); // a line made bad since it was checked is left out
        var inputs = Ordered
            ? ParseAhead.Of(lines)
            : lines.OrderBy(i => i.Timestamp.UtcTicks).ThenBy(i => i.Line).ToList();
        new Simulator(Catalog, new AcceptingChannel(), Actions).RunInOrder(inputs, Until, decided, applying);
        _progress?.End();
    }
}
