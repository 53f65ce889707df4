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
            if (path is not null && SamePath(path, parse.GetValue(events)!))
            {
                stderr.WriteLine($"journeys: --out '{path}' is the events file: writing the decisions would overwrite it");
                return JourneysCommand.Usage;
            }

            var (decisions, _, _, code) = SimulationRun.Execute(parse.GetValue(folder)!, parse.GetValue(events)!, parse.GetValue(until), stderr);
            if (decisions is null)
            {
                return code;
            }

            using var stream = path is null ? null : new StreamWriter(path, false, new UTF8Encoding(false)) { NewLine = "\n" };
            Write(decisions, stream ?? stdout);
            return JourneysCommand.Ok;
        });
        return command;
    }

    private static bool SamePath(string a, string b) =>
        string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);

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
