using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Journeys.Decisions;

namespace Journeys.Cli;

/// <summary><c>journeys simulate &lt;folder&gt; --events FILE [--until ISO] [--out FILE]</c>: one JSON object per decision.</summary>
internal static class SimulateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var folder = new Argument<string>("folder") { Description = "The journey folder." };
        var events = new Option<string>("--events") { Description = "Segment-style JSON lines (track, identify).", Required = true };
        var until = new Option<string?>("--until") { Description = "End of the run (ISO 8601); default: the last event's time." };
        var output = new Option<string?>("--out") { Description = "Write decisions to this file instead of stdout ('-': stdout)." };
        var command = new Command("simulate", "Run the journeys in virtual time over recorded events; print every decision as JSON lines.")
        {
            folder, events, until, output,
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

            var (decisions, _, _, code, _) = SimulationRun.Execute(parse.GetValue(folder)!, parse.GetValue(events)!, parse.GetValue(until), stderr);
            if (decisions is null)
            {
                return code;
            }

            if (path is null)
            {
                Write(decisions, stdout);
            }
            else
            {
                OutputFile.Write(path, writer => Write(decisions, writer));
            }

            return JourneysCommand.Ok;
        });
        return command;
    }

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal static void Write(IEnumerable<JourneyDecision> decisions, TextWriter writer)
    {
        var buffer = new MemoryStream();
        foreach (var d in decisions)
        {
            buffer.SetLength(0);
            using (var json = new Utf8JsonWriter(buffer, Options))
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

            writer.Write(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
            writer.Write('\n');
        }

        writer.Flush();
    }

    private static void Optional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}
