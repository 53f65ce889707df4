using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Journeys.Runtime;

namespace Journeys.Interchange;

/// <summary>Reads Segment-spec JSON lines (<c>track</c> and <c>identify</c>), checking every line before anything runs:
/// each bad line is reported with its number, and nothing is returned unless all are good.</summary>
internal static partial class SegmentReader
{
    public const int MaxLineLength = 1024 * 1024;

    // ISO 8601 extended form (date, optional time, optional offset); the parser alone also takes "01/05/2026" and guesses.
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?)?([Zz]|[+-]\d{2}(:?\d{2})?)?$")]
    private static partial Regex Iso8601();

    public static (List<SegmentInput> Inputs, List<string> Errors) Read(TextReader reader, string file)
    {
        var inputs = new List<SegmentInput>();
        var errors = new List<string>();
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (line.Length > MaxLineLength)
            {
                errors.Add($"{file}:{number}: line is longer than {MaxLineLength:N0} characters");
                continue;
            }

            if (TryParse(line, number, out var input, out var error))
            {
                inputs.Add(input!);
            }
            else
            {
                errors.Add($"{file}:{number}: {error}");
            }
        }

        return (inputs, errors);
    }

    public static bool TryParse(string line, int number, out SegmentInput? input, out string error)
    {
        input = null;
        error = "";
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            error = "not valid JSON: " + ex.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd();
            return false;
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "expected a JSON object such as {\"type\":\"track\",\"userId\":\"c1\",\"event\":\"signed_up\",\"timestamp\":\"...\"}";
                return false;
            }

            var type = String(root, "type");
            var userId = String(root, "userId");
            if (string.IsNullOrEmpty(userId))
            {
                error = "missing \"userId\"";
                return false;
            }

            var ts = String(root, "timestamp");
            if (ts is null)
            {
                error = "missing \"timestamp\" (ISO 8601 with offset, such as 2026-01-05T10:00:00Z)";
                return false;
            }

            if (!Iso8601().IsMatch(ts) || !DateTimeOffset.TryParse(ts, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp))
            {
                error = $"\"timestamp\" '{ts}' is not an ISO 8601 timestamp";
                return false;
            }

            switch (type)
            {
                case "track":
                {
                    var name = String(root, "event");
                    if (string.IsNullOrEmpty(name))
                    {
                        error = "a track line needs \"event\" (the event's type)";
                        return false;
                    }

                    if (!Properties(root, "properties", out var properties, out error))
                    {
                        return false;
                    }

                    input = new SegmentInput(number, timestamp, new CustomerEvent(userId, name, timestamp, properties), null);
                    return true;
                }

                case "identify":
                {
                    if (!Properties(root, "traits", out var traits, out error))
                    {
                        return false;
                    }

                    string? zone = null;
                    if (traits.Remove("timeZone", out var z) | traits.Remove("timezone", out var z2))
                    {
                        zone = (z ?? z2) as string;
                        if (zone is null || !TimeZones.TryFind(zone, out _))
                        {
                            error = $"\"timeZone\" '{z ?? z2}' is not a known IANA time zone (such as Asia/Shanghai)";
                            return false;
                        }
                    }

                    input = new SegmentInput(number, timestamp, null, new CustomerProfile(userId, traits, zone, timestamp));
                    return true;
                }

                default:
                    error = type is null ? "missing \"type\" (track or identify)" : $"\"type\" '{type}' is not supported (track or identify)";
                    return false;
            }
        }
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool Properties(JsonElement root, string name, out Dictionary<string, object?> values, out string error)
    {
        values = new Dictionary<string, object?>(StringComparer.Ordinal);
        error = "";
        if (!root.TryGetProperty(name, out var obj) || obj.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (obj.ValueKind != JsonValueKind.Object)
        {
            error = $"\"{name}\" must be an object";
            return false;
        }

        foreach (var p in obj.EnumerateObject())
        {
            values[p.Name] = p.Value.ValueKind switch
            {
                JsonValueKind.String => p.Value.GetString(),
                JsonValueKind.Number => p.Value.GetDouble(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Null => null,
                _ => p.Value.GetRawText(),
            };
        }

        return true;
    }
}
