using Journeys.Decisions;
using Journeys.Engine;
using Journeys.Interchange;
using Journeys.Language.Loading;

namespace Journeys.Cli;

/// <summary>simulate and explain without holding the run. Two ways to read the events file, one line at a time:
/// <list type="bullet">
/// <item><see cref="Check"/> then <see cref="Run"/> reads it twice: first every line is checked (a bad line is reported
/// with its number, and nothing runs), then the lines are parsed again — ahead, on another core — and run in order
/// (<see cref="Simulator.RunInOrder"/>), each instant's decisions handed on once the run has moved past it. For explain
/// and report, which need their customer's inputs first or print only at the end.</item>
/// <item><see cref="Prepare"/> then <see cref="RunOnce"/> reads it once: the parse-ahead thread checks each line as it
/// parses it and the run goes on meanwhile; a bad line (or a line out of order) makes the run's decisions void, to be
/// dropped by the caller — for a file written whole and renamed only when complete, or for stdout and devices through
/// a <see cref="Spool"/> copied out only when every line is good, so no decision is written.</item>
/// </list>
/// Either way memory holds the customers and one instant's decisions, however long the file. A file whose lines are not
/// in timestamp order is the exception: its inputs are held and sorted (<see cref="Sorted"/>).</summary>
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
        var (run, code) = Prepare(folder, eventsFile, until, stderr, progress, actionsFile);
        return run is null ? (null, code) : run.CheckLines(stderr, seen);
    }

    /// <summary>Checks what the run needs before the events file is read — <c>--until</c>, <c>--actions</c>, the folder
    /// (its diagnostics printed), that the events file is a file — without reading a line. Null when it cannot start
    /// (the reasons printed, the exit code returned). The run it gives assumes the lines in order: run it with
    /// <see cref="RunOnce"/>, which finds out.</summary>
    public static (StreamedRun? Run, int ExitCode) Prepare(string folder, string eventsFile, string? until, TextWriter stderr,
        RunProgress? progress = null, string? actionsFile = null)
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

        return (new StreamedRun(catalog, eventsFile, untilTime, ordered: true, progress) { Actions = actions }, JourneysCommand.Ok);
    }

    /// <summary>The first of two reads: every line checked, each good input told to <paramref name="seen"/>, whether the
    /// lines are in order noted; with a bad line, every error printed and no run.</summary>
    private (StreamedRun? Run, int ExitCode) CheckLines(TextWriter stderr, Action<SegmentInput>? seen)
    {
        var progress = _progress;
        var eventsFile = _events;
        progress?.Phase("checking");
        var errors = new List<string>();
        var ordered = true;
        var last = long.MinValue;
        foreach (var (input, error) in SegmentReader.ReadLines(eventsFile, progress is null ? null : bytes => progress.Read(bytes)))
        {
            Interlocked.Increment(ref _linesRead);
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

        return (new StreamedRun(Catalog, eventsFile, Until, ordered, progress) { Actions = Actions, _linesRead = _linesRead }, JourneysCommand.Ok);
    }

    private IEnumerable<SegmentInput> Good()
    {
        foreach (var (input, _) in SegmentReader.ReadLines(_events, _progress is null ? null : bytes => _progress.Read(bytes)))
        {
            Interlocked.Increment(ref _linesRead);
            if (input is not null)
            {
                yield return input;
            }
        }
    }

    /// <summary>The same run over the same file, its inputs held and sorted: for a file whose lines are out of order.</summary>
    public StreamedRun Sorted() => new(Catalog, _events, Until, ordered: false, _progress) { Actions = Actions };

    /// <summary>Reads the events file once and runs it, handing each decision to <paramref name="decided"/> in the order
    /// the CLI promises, while the parse-ahead thread checks every line as it parses it: the run goes on until a line is
    /// bad or out of order, after which it is handed nothing more and the file is read to its end for the rest of the
    /// errors. The decisions are good only when the result is <see cref="OnePass.Complete"/>: otherwise the caller drops
    /// them and reports the errors (each as <see cref="Check"/> reports it), or, when the lines are merely out of order,
    /// runs <see cref="Sorted"/>. Lines after <c>--until</c> are checked too, as <see cref="Check"/> checks them.</summary>
    public OnePass RunOnce(Action<JourneyDecision> decided)
    {
        _progress?.Phase("simulating");
        var pass = new OnePass();
        new Simulator(Catalog, new AcceptingChannel(), Actions).RunInOrder(ParseAhead.Of(Checked(pass)), Until, decided);
        _progress?.End();
        return pass; // written by the parse-ahead thread, which has ended (RunInOrder read the sequence to its end)
    }

    /// <summary>Every line read once, checked as <see cref="CheckLines"/> checks it; the inputs handed on while every line so
    /// far is good and in order, and up to <c>--until</c>.</summary>
    private IEnumerable<SegmentInput> Checked(OnePass pass)
    {
        var end = Until?.UtcTicks ?? long.MaxValue;
        var last = long.MinValue;
        foreach (var (input, error) in SegmentReader.ReadLines(_events, _progress is null ? null : bytes => _progress.Read(bytes)))
        {
            Interlocked.Increment(ref _linesRead);
            if (input is null)
            {
                pass.Errors.Add(error!);
                continue;
            }

            var now = input.Timestamp.UtcTicks;
            pass.Unordered |= now < last;
            last = now;
            if (pass.Complete && now <= end)
            {
                yield return input;
            }
        }
    }

    private int _linesRead;

    /// <summary>Lines (with their errors) this run has read from the events file, over all its reads: how tests tell one
    /// read from two.</summary>
    internal int LinesRead => Volatile.Read(ref _linesRead);

    /// <summary>What <see cref="RunOnce"/> found: the file's errors, and whether its lines are out of order.</summary>
    public sealed class OnePass
    {
        /// <summary>One error per bad line, as <see cref="Check"/> prints them.</summary>
        public List<string> Errors { get; } = [];

        /// <summary>Whether a line is earlier than the one before it.</summary>
        public bool Unordered { get; set; }

        /// <summary>Whether the run saw every line, all good and in order: its decisions are the run's.</summary>
        public bool Complete => Errors.Count == 0 && !Unordered;
    }

    /// <summary>Runs, handing each decision to <paramref name="decided"/> in the order the CLI promises.</summary>
    public void Run(Action<JourneyDecision> decided, Action<SegmentInput, long>? applying = null)
    {
        _progress?.Phase("simulating");
        var lines = Good(); // a line made bad since it was checked is left out
        var inputs = Ordered
            ? ParseAhead.Of(lines)
            : lines.OrderBy(i => i.Timestamp.UtcTicks).ThenBy(i => i.Line).ToList();
        new Simulator(Catalog, new AcceptingChannel(), Actions).RunInOrder(inputs, Until, decided, applying);
        _progress?.End();
    }
}
