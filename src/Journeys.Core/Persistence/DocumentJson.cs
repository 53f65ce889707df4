using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace Journeys.Persistence;

/// <summary>What the engine's JSON record payloads share (format in docs/operations.md): the document frame, value encoding,
/// and the member helpers <see cref="SnapshotJson"/> and <see cref="OutboxJson"/> list their fields with, so each of
/// those holds only its field list. Written and read by hand rather than by reflection, so renaming a C# property never
/// changes what is on disk. Values keep their type: strings, numbers and booleans are JSON's own, a timestamp is
/// <c>{"time": "ISO 8601"}</c>, and a number JSON cannot hold (NaN, infinities) is <c>{"number": "NaN"}</c>. Optional
/// members are left out when empty, and read back as empty when missing.</summary>
internal static class DocumentJson
{
    /// <summary>A JSON document, UTF-8, whose root object's members <paramref name="write"/> writes.</summary>
    public static byte[] WriteDocument(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Parses a document whose root is an object and reads it with <paramref name="read"/>.</summary>
    /// <exception cref="FormatException">The document is not JSON, its root is no object, or <paramref name="read"/>
    /// found a member missing or of the wrong kind; the message names what is wrong.</exception>
    public static T ReadDocument<T>(ReadOnlyMemory<byte> json, Func<JsonElement, T> read)
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

    // ---- writing ---------------------------------------------------------------------------------------------------

    /// <summary>Writes <c>"name": {...}</c>, the map's members in ordinal order of their names, each value written by
    /// <paramref name="writeValue"/>.</summary>
    public static void WriteMap(Utf8JsonWriter w, string name, IEnumerable<KeyValuePair<string, object?>> map, Action<Utf8JsonWriter, object?> writeValue)
    {
        w.WriteStartObject(name);
        WriteMembers(w, map, writeValue);
        w.WriteEndObject();
    }

    /// <summary>Writes the map's members in ordinal order of their names, each value written by <paramref name="writeValue"/>.</summary>
    private static void WriteMembers(Utf8JsonWriter w, IEnumerable<KeyValuePair<string, object?>> map, Action<Utf8JsonWriter, object?> writeValue)
    {
        foreach (var (key, value) in map.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.WritePropertyName(key);
            writeValue(w, value);
        }
    }

    /// <summary>Writes <c>"name": [ {...}, ... ]</c>, each object's members written by <paramref name="write"/>.</summary>
    public static void WriteObjects<T>(Utf8JsonWriter w, string name, IEnumerable<T> items, Action<T> write)
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

    /// <summary>Writes the member unless <paramref name="value"/> is null.</summary>
    public static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    /// <summary>Writes the member unless <paramref name="value"/> is null.</summary>
    public static void WriteOptional(Utf8JsonWriter w, string name, DateTimeOffset? value)
    {
        if (value is { } t)
        {
            w.WriteString(name, t);
        }
    }

    /// <summary>Writes <c>"name": true</c> when set, nothing otherwise.</summary>
    public static void WriteFlag(Utf8JsonWriter w, string name, bool value)
    {
        if (value)
        {
            w.WriteBoolean(name, true);
        }
    }

    /// <summary>A value as the engine reads it: numbers become doubles, <see cref="DateTime"/> a UTC timestamp, anything
    /// else its invariant text (as <c>Value.From</c> converts it).</summary>
    public static void WriteValue(Utf8JsonWriter w, object? value)
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
            case IEnumerable list and not string:
                // A list trait (format version 2): a JSON array of values.
                w.WriteStartArray();
                foreach (var item in list)
                {
                    WriteValue(w, item);
                }

                w.WriteEndArray();
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

    // ---- reading ---------------------------------------------------------------------------------------------------

    /// <summary>Reads a value written by <see cref="WriteValue"/>; <paramref name="name"/> names it in the error.</summary>
    public static object? ReadValue(JsonElement e, string name) => e.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Object when e.TryGetProperty("time", out var t) => t.GetDateTimeOffset(),
        JsonValueKind.Object when e.TryGetProperty("number", out var n) => double.Parse(n.GetString()!, CultureInfo.InvariantCulture),
        JsonValueKind.Array => e.EnumerateArray().Select(item => ReadValue(item, name)).ToList(),
        _ => throw new FormatException($"trait '{name}' holds {e.ValueKind}, which is not a trait value"),
    };

    /// <summary>Reads a map written by <see cref="WriteMap"/> (empty when the member is missing), each value read by
    /// <paramref name="readValue"/> with its name.</summary>
    public static Dictionary<string, object?> ReadMap(JsonElement e, string name, Func<JsonElement, string, object?> readValue)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (e.TryGetProperty(name, out var members))
        {
            Expect(members, JsonValueKind.Object, name);
            foreach (var member in members.EnumerateObject())
            {
                map[member.Name] = readValue(member.Value, member.Name);
            }
        }

        return map;
    }

    /// <summary>Reads an array written by <see cref="WriteObjects"/> (empty when the member is missing).</summary>
    public static List<T> List<T>(JsonElement e, string name, Func<JsonElement, T> read)
    {
        if (!e.TryGetProperty(name, out var array))
        {
            return [];
        }

        Expect(array, JsonValueKind.Array, name);
        return array.EnumerateArray().Select(read).ToList();
    }

    public static void Expect(JsonElement e, JsonValueKind kind, string what)
    {
        if (e.ValueKind != kind)
        {
            throw new FormatException($"{what} is {e.ValueKind}, expected {kind}");
        }
    }

    public static JsonElement Property(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) ? value : throw new FormatException($"'{name}' is missing");

    public static string String(JsonElement e, string name) =>
        Property(e, name).GetString() ?? throw new FormatException($"'{name}' is null");

    public static int Int(JsonElement e, string name) => Property(e, name).GetInt32();

    public static DateTimeOffset Time(JsonElement e, string name) => Property(e, name).GetDateTimeOffset();

    /// <summary>Reads a member written by <see cref="WriteOptional(Utf8JsonWriter, string, string?)"/>.</summary>
    public static string? OptionalString(JsonElement e, string name) => e.TryGetProperty(name, out var value) ? value.GetString() : null;

    /// <summary>Reads a member written by <see cref="WriteOptional(Utf8JsonWriter, string, DateTimeOffset?)"/>.</summary>
    public static DateTimeOffset? OptionalTime(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetDateTimeOffset() : null;

    /// <summary>Reads a member written by <see cref="WriteFlag"/>.</summary>
    public static bool Flag(JsonElement e, string name) => e.TryGetProperty(name, out var value) && value.GetBoolean();
}
