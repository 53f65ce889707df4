using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Journeys.Persistence;

/// <summary>The JSON document a durable store keeps per customer (format described in docs/operations.md). Written and
/// read by hand rather than by reflection, so renaming a C# property never changes what is on disk, and every value
/// keeps its type: strings, numbers and booleans are JSON's own, a timestamp is <c>{"time": "ISO 8601"}</c>, and a
/// number JSON cannot hold (NaN, infinities) is <c>{"number": "NaN"}</c>.</summary>
internal static class SnapshotJson
{
    /// <summary>A JSON document whose root object's members <paramref name="write"/> writes.</summary>
    internal static string WriteDocument(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Parses a document whose root is an object and reads it with <paramref name="read"/>.</summary>
    /// <exception cref="FormatException">The document is not JSON, its root is no object, or <paramref name="read"/>
    /// found a member missing or of the wrong kind; the message names what is wrong.</exception>
    internal static T ReadDocument<T>(string json, Func<JsonElement, T> read)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            Expect(document.RootElement, JsonValueKind.Object, "the document");
            return read(document.RootElement);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new FormatException(ex.Message, ex);
        }
    }

    public static string Write(CustomerSnapshot s) => WriteDocument(w =>
    {
        w.WriteString("timeZone", s.TimeZone);
        if (s.FirstSeen is { } firstSeen)
        {
            w.WriteString("firstSeen", firstSeen);
        }

        w.WriteStartObject("traits");
        foreach (var (name, value) in s.Traits.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.WritePropertyName(name);
            WriteTrait(w, value);
        }

        w.WriteEndObject();

        WriteObjects(w, "instances", s.Instances, i =>
        {
            w.WriteString("journey", i.JourneyId);
            w.WriteNumber("version", i.Version);
            w.WriteNumber("sequence", i.Sequence);
            w.WriteString("step", i.Step);
            w.WriteString("enteredAt", i.EnteredAt);
            w.WriteString("arrivedAt", i.ArrivedAt);
            if (i.Converted)
            {
                w.WriteBoolean("converted", true);
            }
        });

        WriteObjects(w, "journeys", s.Journeys, m =>
        {
            w.WriteString("journey", m.JourneyId);
            w.WriteNumber("entries", m.Entries);
            WriteTime(w, "lastEntry", m.LastEntry);
            WriteTime(w, "nextDate", m.NextDate);
            WriteTime(w, "inactivityDue", m.InactivityDue);
            if (m.InactivityWaitsForActivity)
            {
                w.WriteBoolean("inactivityWaitsForActivity", true);
            }
        });

        WriteObjects(w, "sends", s.Sends, sent =>
        {
            w.WriteString("at", sent.At);
            w.WriteString("channel", sent.Channel);
            w.WriteString("journey", sent.JourneyId);
        });

        WriteObjects(w, "deferred", s.Deferred, d =>
        {
            w.WriteString("journey", d.JourneyId);
            w.WriteNumber("version", d.Version);
            w.WriteNumber("sequence", d.Sequence);
            w.WriteString("step", d.Step);
            w.WriteNumber("sendIndex", d.SendIndex);
            w.WriteString("deferredAt", d.DeferredAt);
            w.WriteString("retryAt", d.RetryAt);
            if (d.Reason is not null)
            {
                w.WriteString("reason", d.Reason);
            }
        });

        WriteObjects(w, "activity", s.Activity, a =>
        {
            w.WriteString("event", a.EventType);
            w.WriteStartArray("times");
            foreach (var t in a.Times)
            {
                w.WriteStringValue(t);
            }

            w.WriteEndArray();
            WriteTime(w, "lastSeen", a.LastSeen);
        });
    });

    /// <summary>Writes <c>"name": [ {...}, ... ]</c>, each object's members written by <paramref name="write"/>.</summary>
    private static void WriteObjects<T>(Utf8JsonWriter w, string name, IEnumerable<T> items, Action<T> write)
    {
        w.WriteStartArray(name);
        foreach (var item in items)
        {
            w.WriteStartObject();
            write(item);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteTime(Utf8JsonWriter w, string name, DateTimeOffset? value)
    {
        if (value is { } t)
        {
            w.WriteString(name, t);
        }
    }

    /// <summary>A trait as the engine reads it: numbers become doubles, <see cref="DateTime"/> a UTC timestamp, anything
    /// else its invariant text (as <c>Value.From</c> converts it).</summary>
    internal static void WriteTrait(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null:
                w.WriteNullValue();
                break;
            case string s:
                w.WriteStringValue(s);
                break;
            case bool b:
                w.WriteBooleanValue(b);
                break;
            case DateTimeOffset t:
                WriteTimeObject(w, t);
                break;
            case DateTime dt:
                WriteTimeObject(w, dt.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(dt, TimeSpan.Zero) : new DateTimeOffset(dt));
                break;
            case double or float or int or long or decimal or short or byte or uint or ulong:
                var d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (double.IsFinite(d))
                {
                    w.WriteNumberValue(d);
                }
                else
                {
                    w.WriteStartObject();
                    w.WriteString("number", d.ToString(CultureInfo.InvariantCulture));
                    w.WriteEndObject();
                }

                break;
            default:
                w.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static void WriteTimeObject(Utf8JsonWriter w, DateTimeOffset t)
    {
        w.WriteStartObject();
        w.WriteString("time", t);
        w.WriteEndObject();
    }

    /// <summary>Reads a document written by <see cref="Write"/>.</summary>
    /// <exception cref="FormatException">The document is not a snapshot; the message names what is wrong.</exception>
    public static CustomerSnapshot Read(string id, string json) => ReadDocument(json, root =>
    {
        var traits = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (root.TryGetProperty("traits", out var traitsElement))
        {
            Expect(traitsElement, JsonValueKind.Object, "traits");
            foreach (var trait in traitsElement.EnumerateObject())
            {
                traits[trait.Name] = ReadTrait(trait.Value, trait.Name);
            }
        }

        return new CustomerSnapshot
        {
            Id = id,
            TimeZone = String(root, "timeZone"),
            FirstSeen = OptionalTime(root, "firstSeen"),
            Traits = traits,
            Instances = List(root, "instances", e => new InstanceSnapshot(String(e, "journey"), Int(e, "version"), Int(e, "sequence"),
                String(e, "step"), Time(e, "enteredAt"), Time(e, "arrivedAt"),
                e.TryGetProperty("converted", out var converted) && converted.GetBoolean())),
            Journeys = List(root, "journeys", e => new JourneyMemorySnapshot(String(e, "journey"), Int(e, "entries"),
                OptionalTime(e, "lastEntry"), OptionalTime(e, "nextDate"), OptionalTime(e, "inactivityDue"),
                e.TryGetProperty("inactivityWaitsForActivity", out var waits) && waits.GetBoolean())),
            Sends = List(root, "sends", e => new SentSnapshot(Time(e, "at"), String(e, "channel"), String(e, "journey"))),
            Deferred = List(root, "deferred", e => new DeferredSnapshot(String(e, "journey"), Int(e, "version"), Int(e, "sequence"),
                String(e, "step"), Int(e, "sendIndex"), Time(e, "deferredAt"), Time(e, "retryAt"),
                e.TryGetProperty("reason", out var reason) ? reason.GetString() : null)),
            Activity = List(root, "activity", e => new ActivitySnapshot(String(e, "event"),
                e.GetProperty("times").EnumerateArray().Select(t => t.GetDateTimeOffset()).ToList(), OptionalTime(e, "lastSeen"))),
        };
    });

    internal static object? ReadTrait(JsonElement e, string name) => e.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Object when e.TryGetProperty("time", out var t) => t.GetDateTimeOffset(),
        JsonValueKind.Object when e.TryGetProperty("number", out var n) => double.Parse(n.GetString()!, CultureInfo.InvariantCulture),
        _ => throw new FormatException($"trait '{name}' holds {e.ValueKind}, which is not a trait value"),
    };

    internal static void Expect(JsonElement e, JsonValueKind kind, string what)
    {
        if (e.ValueKind != kind)
        {
            throw new FormatException($"{what} is {e.ValueKind}, expected {kind}");
        }
    }

    internal static JsonElement Property(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) ? value : throw new FormatException($"'{name}' is missing");

    internal static string String(JsonElement e, string name) =>
        Property(e, name).GetString() ?? throw new FormatException($"'{name}' is null");

    internal static int Int(JsonElement e, string name) => Property(e, name).GetInt32();

    internal static DateTimeOffset Time(JsonElement e, string name) => Property(e, name).GetDateTimeOffset();

    private static DateTimeOffset? OptionalTime(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetDateTimeOffset() : null;

    private static List<T> List<T>(JsonElement root, string name, Func<JsonElement, T> read)
    {
        if (!root.TryGetProperty(name, out var array))
        {
            return [];
        }

        Expect(array, JsonValueKind.Array, name);
        return array.EnumerateArray().Select(read).ToList();
    }
}
