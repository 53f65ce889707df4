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

            var (run, code) = StreamedRun.Check(parse.GetValue(folder)!, parse.GetValue(events)!, parse.GetValue(until), stderr,
                Progress(parse.GetValue(events)!, stderr), actionsFile: parse.GetValue(actions));
            if (run is null)
            {
                return code;
            }

            if (path is null)
            {
                Write(run, new DecisionOutput(stdout));
            }
            else
            {
                OutputFile.WriteStream(path, stream => Write(run, new DecisionOutput(stream)));
            }

            return JourneysCommand.Ok;
        });
        return command;
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
    private static void Write(StreamedRun run, DecisionOutput output)
    {
        var batch = new List<JourneyDecision>(512);
        run.Run(d =>
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
    }

    /// <summary>Writes decisions as JSON lines: the one place a decision's JSON is written.</summary>
    internal static void Write(IEnumerable<JourneyDecision> decisions, DecisionOutput output)
    {
        foreach (var d in decisions)
        {
            using (var json = output.Begin())
            {
                json.WriteStartObject();
                json.WriteString("timestamp", SimulationRun.Format(d.Timestamp));
                json.WriteString("userId", d.CustomerId);
                json.WriteString("journey", d.JourneyId);
                json.WriteNumber("version", d.Version);
                json.WriteString("step", d.Step);
                json.WriteString("decision", d.KindName);
                Optional(json, "channel", d.Channel);
                Optional(json, "template", d.Template);
                Optional(json, "reason", d.Reason);
                Optional(json, "from", d.From);
                Optional(json, "case", d.Case);
                json.WriteEndObject();
            }

            output.EndLine();
        }
    }

    private static void Optional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}
