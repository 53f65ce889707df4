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

            var (run, code) = StreamedRun.Check(parse.GetValue(folder)!, parse.GetValue(events)!, parse.GetValue(until), stderr,
                Progress(parse.GetValue(events)!, stderr), actionsFile: parse.GetValue(actions));
            if (run is null)
            {
                return code;
            }

            if (path is null)
            {
                Write(run.Run, new DecisionOutput(stdout));
            }
            else
            {
                OutputFile.WriteStream(path, stream => Write(run.Run, new DecisionOutput(stream)));
            }

            return JourneysCommand.Ok;
        });
        return command;
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
