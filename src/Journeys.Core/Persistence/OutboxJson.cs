using System.Collections;
using System.Text.Json;
using Journeys.Definitions;
using Journeys.Delivery;

namespace Journeys.Persistence;

/// <summary>The JSON document a durable store keeps per outbox message (format in docs/operations.md): everything a
/// channel reads, so a message delivered again after a restart is the one first decided — same key, same rendered
/// subject and body, same traits and event properties. Written by hand like <see cref="SnapshotJson"/>. Values keep
/// their type as traits do; event properties may also hold JSON elements, maps and lists, written as
/// <c>{"json": ...}</c>, <c>{"map": {...}}</c> and <c>{"list": [...]}</c>.</summary>
internal static class OutboxJson
{
    public static string Write(OutboundMessage m) => SnapshotJson.WriteDocument(w =>
    {
        w.WriteString("key", m.IdempotencyKey);
        w.WriteString("channel", m.Channel);
        w.WriteString("template", m.Template);
        w.WriteString("category", m.Category == MessageCategory.Transactional ? "transactional" : "marketing");
        w.WriteNumber("priority", m.Priority);
        w.WriteString("customer", m.CustomerId);
        w.WriteString("journey", m.JourneyId);
        w.WriteNumber("version", m.JourneyVersion);
        w.WriteString("step", m.Step);
        w.WriteString("at", m.Timestamp);
        if (m.Subject is not null)
        {
            w.WriteString("subject", m.Subject);
        }

        if (m.Body is not null)
        {
            w.WriteString("body", m.Body);
        }

        WriteMap(w, "traits", m.Traits);
        WriteMap(w, "event", m.EventProperties);
    });

    /// <summary>Reads a document written by <see cref="Write"/>.</summary>
    /// <exception cref="FormatException">The document is not an outbox message; the message names what is wrong.</exception>
    public static OutboundMessage Read(string json) => SnapshotJson.ReadDocument(json, root => new OutboundMessage
    {
        IdempotencyKey = SnapshotJson.String(root, "key"),
        Channel = SnapshotJson.String(root, "channel"),
        Template = SnapshotJson.String(root, "template"),
        Category = SnapshotJson.String(root, "category") == "transactional" ? MessageCategory.Transactional : MessageCategory.Marketing,
        Priority = SnapshotJson.Int(root, "priority"),
        CustomerId = SnapshotJson.String(root, "customer"),
        JourneyId = SnapshotJson.String(root, "journey"),
        JourneyVersion = SnapshotJson.Int(root, "version"),
        Step = SnapshotJson.String(root, "step"),
        Timestamp = SnapshotJson.Time(root, "at"),
        Subject = root.TryGetProperty("subject", out var subject) ? subject.GetString() : null,
        Body = root.TryGetProperty("body", out var body) ? body.GetString() : null,
        Traits = ReadMap(root, "traits"),
        EventProperties = ReadMap(root, "event"),
    });

    private static void WriteMap(Utf8JsonWriter w, string name, IEnumerable<KeyValuePair<string, object?>> map)
    {
        w.WriteStartObject(name);
        WriteMembers(w, map);
        w.WriteEndObject();
    }

    private static void WriteMembers(Utf8JsonWriter w, IEnumerable<KeyValuePair<string, object?>> map)
    {
        foreach (var (key, value) in map.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.WritePropertyName(key);
            WriteValue(w, value);
        }
    }

    private static void WriteValue(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case JsonElement element:
                w.WriteStartObject();
                w.WritePropertyName("json");
                element.WriteTo(w);
                w.WriteEndObject();
                break;
            case IEnumerable<KeyValuePair<string, object?>> map:
                w.WriteStartObject();
                w.WriteStartObject("map");
                WriteMembers(w, map);
                w.WriteEndObject();
                w.WriteEndObject();
                break;
            case IEnumerable list and not string:
                w.WriteStartObject();
                w.WriteStartArray("list");
                foreach (var item in list)
                {
                    WriteValue(w, item);
                }

                w.WriteEndArray();
                w.WriteEndObject();
                break;
            default:
                SnapshotJson.WriteTrait(w, value);
                break;
        }
    }

    private static Dictionary<string, object?> ReadMap(JsonElement root, string name)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (root.TryGetProperty(name, out var members))
        {
            SnapshotJson.Expect(members, JsonValueKind.Object, name);
            foreach (var member in members.EnumerateObject())
            {
                map[member.Name] = ReadValue(member.Value, member.Name);
            }
        }

        return map;
    }

    private static object? ReadValue(JsonElement e, string name)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            if (e.TryGetProperty("json", out var json))
            {
                return json.Clone();
            }

            if (e.TryGetProperty("map", out _))
            {
                return ReadMap(e, "map");
            }

            if (e.TryGetProperty("list", out var list))
            {
                return list.EnumerateArray().Select(item => ReadValue(item, name)).ToList();
            }
        }

        return SnapshotJson.ReadTrait(e, name);
    }
}
