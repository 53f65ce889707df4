using System.CommandLine;
using System.Text.Json;
using Journeys.Decisions;
using Journeys.Files;

namespace Journeys.Cli;

/// <summary><c>journeys simulate &lt;folder&gt; --events FILE [--until ISO] [--out FILE] [--actions FILE]</c>: one JSON object per decision.</summary>
internal static class SimulateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var folder = new Argument<string>("folder") { Description = "The journey folder." };
        var events = new Option<string>("--events") { Description = "Segment-style JSON lines (track, identify).", Required = true };
        var until = new Option<string?>("--until") { Description = "End of the run (ISO 8601); default: the last event's time." };
        var output = new Option<string?>("--out") { Description = "Write decisions to this file instead of stdout ('-': stdout)." };
        var actions = ActionsOption();
        var command = new Command("simulate", "Run the journeys in virtual time over recorded events; print every decision as JSON lines.")
        {
            folder, events, until, output, actions,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(output) is "-" ? null : parse.GetValue(output);
            if (path is not null && OutputFile.Refusal("--out", path,
                    OutputFile.FolderFiles(parse.GetValue(folder)!).Prepend((parse.GetValue(events)!, "the events file")), "the decisions") is { } refusal)
            {
                stderr.WriteLine(SimulationRun.Escape("journeys: " + refusal));
                return JourneysCommand.Usage;
            }

            if (path is not null && OutputFile.WritesWhole(path))
            {
                return SimulateOnce(parse.GetValue(folder)!, parse.GetValue(events)!, parse.GetValue(until), parse.GetValue(actions), path, stderr);
            }

            return SimulateSpooled(parse.GetValue(folder)!, parse.GetValue(events)!, parse.GetValue(until), parse.GetValue(actions),
                path is null ? Target.Of(stdout) : Target.Of(path), stderr);
        });
        return command;
    }

    /// <summary>simulate to stdout or a device (<c>--out /dev/null</c>), where what is written cannot be taken back: the
    /// events file is read once, checked as it is run (<see cref="StreamedRun.RunOnce"/>), and the decisions are held in a
    /// <see cref="Spool"/> (<paramref name="memory"/> bytes in memory, the rest in a temporary file in
    /// <paramref name="spoolFolder"/>) until every line is known to be good; then they are copied to the output. A bad
    /// line: every bad line reported, nothing written (the contract). Lines out of order: the spool dropped and the run
    /// made again, held and sorted, straight to the output (every line is known good by then). <paramref name="ran"/>, if
    /// given, is told of the run (tests: how many lines it read).</summary>
    internal static int SimulateSpooled(string folder, string events, string? until, string? actions, Target output, TextWriter stderr,
        long memory = Spool.DefaultMemory, string? spoolFolder = null, Action<StreamedRun>? ran = null)
    {
        var (run, code) = StreamedRun.Prepare(folder, events, until, stderr, Progress(events, stderr), actions);
        if (run is null)
        {
            return code;
        }

        StreamedRun.OnePass? pass = null;
        using (var spool = new Spool(memory, spoolFolder))
        {
            if (Write(decided => (pass = run.RunOnce(decided)).Complete, new DecisionOutput(spool)))
            {
                ran?.Invoke(run);
                output.Write(spool.WriteTo, spool.WriteTo);
                return JourneysCommand.Ok;
            }
        }

        ran?.Invoke(run);
        if (pass!.Errors.Count > 0)
        {
            foreach (var error in pass.Errors)
            {
                stderr.WriteLine(SimulationRun.Escape(error));
            }

            return JourneysCommand.InvalidInput;
        }

        var sorted = run.Sorted();
        output.Write(stream => Write(sorted.Run, new DecisionOutput(stream)), text => Write(sorted.Run, new DecisionOutput(text)));
        return JourneysCommand.Ok;
    }

    /// <summary>Where decisions that cannot be taken back go: a text writer (stdout) or a path written directly (a device).</summary>
    internal sealed class Target
    {
        private readonly TextWriter? _text;
        private readonly string? _path;

        private Target(TextWriter? text, string? path)
        {
            _text = text;
            _path = path;
        }

        /// <summary>stdout (or a test's writer).</summary>
        public static Target Of(TextWriter text) => new(text, null);

        /// <summary>A device or a pipe, opened and written directly.</summary>
        public static Target Of(string path) => new(null, path);

        /// <summary>Writes through <paramref name="toStream"/> to a path, or through <paramref name="toText"/> to a writer.</summary>
        public void Write(Action<Stream> toStream, Action<TextWriter> toText)
        {
            if (_path is not null)
            {
                OutputFile.WriteStream(_path, toStream);
            }
            else
            {
                toText(_text!);
            }
        }
    }

    /// <summary>simulate to a file written whole (<c>--out FILE</c>): the events file is read once, checked as it is run
    /// (<see cref="StreamedRun.RunOnce"/>). A bad line drops what was written (the temporary file: nothing reaches
    /// <paramref name="path"/>) and every bad line is reported, as when the file is checked first; lines out of order
    /// drop it too, and the file is run again, held and sorted.</summary>
    internal static int SimulateOnce(string folder, string events, string? until, string? actions, string path, TextWriter stderr)
    {
        var (run, code) = StreamedRun.Prepare(folder, events, until, stderr, Progress(events, stderr), actions);
        if (run is null)
        {
            return code;
        }

        StreamedRun.OnePass? pass = null;
        if (OutputFile.TryWriteStream(path, stream => Write(decided => (pass = run.RunOnce(decided)).Complete, new DecisionOutput(stream))))
        {
            return JourneysCommand.Ok;
        }

        if (pass!.Errors.Count > 0)
        {
            foreach (var error in pass.Errors)
            {
                stderr.WriteLine(SimulationRun.Escape(error));
            }

            return JourneysCommand.InvalidInput;
        }

        OutputFile.WriteStream(path, stream => Write(run.Sorted().Run, new DecisionOutput(stream)));
        return JourneysCommand.Ok;
    }

    /// <summary>The <c>--actions FILE</c> option simulate and explain share (see <see cref="ActionsFile"/>).</summary>
    internal static Option<string?> ActionsOption() => new("--actions")
    {
        Description = "JSON: how each action answers calls, by name: {\"name\": {\"result\": {...}}} or {\"name\": {\"failed\": \"why\"}}; default: every action answers {}.",
    };

    /// <summary>Progress on stderr for a run over <paramref name="events"/>: a live line when stderr is the console's
    /// and a terminal, else a plain line now and then.</summary>
    internal static RunProgress Progress(string events, TextWriter stderr)
    {
        var raw = stderr is EscapingWriter escaping ? escaping.Inner : stderr;
        var terminal = ReferenceEquals(raw, Console.Error) && !Console.IsErrorRedirected;
        var size = FileIdentity.IsRegularFile(events) ? new FileInfo(events).Length : 0; // a device is refused later, never measured
        return new RunProgress(terminal ? raw : stderr, terminal, size, TimeProvider.System);
    }

    /// <summary>Runs and writes every decision, a few hundred at a time as the run releases them.</summary>
    private static void Write(Action<Action<JourneyDecision>, Action<Interchange.SegmentInput, long>?> run, DecisionOutput output) =>
        Write(decided =>
        {
            run(decided, null);
            return true;
        }, output);

    /// <summary>Runs and writes every decision, a few hundred at a time as the run releases them; what the run returns
    /// (whether what was written stands).</summary>
    private static bool Write(Func<Action<JourneyDecision>, bool> run, DecisionOutput output)
    {
        var batch = new List<JourneyDecision>(512);
        var stands = run(d =>
        {
            batch.Add(d);
            if (batch.Count == batch.Capacity)
            {
                Write(batch, output);
                batch.Clear();
            }
        });
        Write(batch, output);
        output.Flush();
        return stands;
    }

    /// <summary>Writes decisions as JSON lines: the one place a decision's JSON is written.</summary>
    internal static void Write(IEnumerable<JourneyDecision> decisions, DecisionOutput output)
    {
        foreach (var d in decisions)
        {
            var json = output.Begin();
            json.WriteStartObject();
            json.WriteString(DecisionOutput.Names.Timestamp, output.Timestamp(d.Timestamp, SimulationRun.Format));
            json.WriteString(DecisionOutput.Names.UserId, d.CustomerId); // a new string per decision: escaped as it is written
            json.WriteString(DecisionOutput.Names.Journey, output.Encoded(d.JourneyId));
            json.WriteNumber(DecisionOutput.Names.Version, d.Version);
            json.WriteString(DecisionOutput.Names.Step, output.Encoded(d.Step));
            json.WriteString(DecisionOutput.Names.Decision, output.Encoded(d.KindName));
            Optional(json, output, DecisionOutput.Names.Channel, d.Channel);
            Optional(json, output, DecisionOutput.Names.Template, d.Template);
            Optional(json, DecisionOutput.Names.Reason, d.Reason); // may be made at run time: not remembered
            Optional(json, output, DecisionOutput.Names.From, d.From);
            Optional(json, DecisionOutput.Names.Case, d.Case);
            json.WriteEndObject();
            output.EndLine();
        }
    }

    private static void Optional(Utf8JsonWriter json, JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static void Optional(Utf8JsonWriter json, DecisionOutput output, JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, output.Encoded(value));
        }
    }
}
