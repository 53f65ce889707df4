using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Journeys.Cli;
using Journeys.Decisions;

namespace Journeys.Tests.Cli;

/// <summary>The decision writer reuses one <see cref="Utf8JsonWriter"/>, writes field names escaped once and remembers
/// the escaped text of strings it has seen (by object), and the timestamp's per instant: each line is byte for byte
/// the line a new writer per decision wrote with plain string names and values — for values that need escaping, for
/// the same string seen again, for an equal string that is another object, and across instants.</summary>
public sealed class DecisionOutputTests
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>What simulate wrote before the writer was reused: a new writer per line, every name and value a string.</summary>
    private static string AsBefore(JourneyDecision d)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", SimulationRun.Format(d.Timestamp));
            json.WriteString("userId", d.CustomerId);
            json.WriteString("journey", d.JourneyId);
            json.WriteNumber("version", d.Version);
            json.WriteString("step", d.Step);
            json.WriteString("decision", d.KindName);
            foreach (var (name, value) in new[] { ("channel", d.Channel), ("template", d.Template), ("reason", d.Reason), ("from", d.From), ("case", d.Case) })
            {
                if (value is not null)
                {
                    json.WriteString(name, value);
                }
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    private static JourneyDecision Decision(DateTimeOffset at, string journey, string step, string? text, DecisionKind kind = DecisionKind.Moved) => new()
    {
        Timestamp = at,
        CustomerId = "c\"1\u0007é",
        JourneyId = journey,
        Version = 3,
        Step = step,
        Kind = kind,
        Channel = text,
        Template = text is null ? null : text + "/t",
        Why = text is null ? null : DecisionReason.When(text),
        From = step,
        Case = text,
    };

    [Fact]
    public void EveryLine_IsTheLineANewWriterPerDecisionWrote()
    {
        var t = new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);
        var odd = "q\"uote \\ back <tag> & 中文 é \u0001 \u2028 \ud83d\ude00";
        var journey = "journey-" + odd;
        var again = new string(journey.AsSpan()); // equal, another object
        var decisions = new List<JourneyDecision>
        {
            Decision(t, journey, "step", odd),
            Decision(t, journey, "step", odd, DecisionKind.Sent), // the same objects again
            Decision(t.AddTicks(1), again, "step", null, DecisionKind.Completed),
            Decision(t.AddSeconds(1), "plain", odd, "cap:normal", DecisionKind.Suppressed),
            Decision(t, journey, "step", odd), // an instant before the last one's
        };

        var text = new StringWriter();
        var output = new DecisionOutput(text);
        SimulateCommand.Write(decisions, output);
        output.Flush();

        Assert.Equal(string.Concat(decisions.Select(AsBefore)), text.ToString());
        Assert.Contains("\\u0001", text.ToString(), StringComparison.Ordinal); // escaped, as before
    }
}
