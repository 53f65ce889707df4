using System.Collections;
using System.Text.Json;
using Journeys.Delivery;
using static Journeys.Persistence.DocumentJson;

namespace Journeys.Persistence;

/// <summary>The JSON payload of an <see cref="OutboxRecord"/> of format version 1 (format in docs/operations.md): everything a
/// channel reads, so a message delivered again after a restart is the one first decided — same key, same rendered
/// subject, body and fields, same traits and event properties. The message's field list, written and read through
/// <see cref="DocumentJson"/>, which <see cref="SnapshotJson"/> shares; event properties may also hold JSON elements,
/// maps and lists, written as <c>{"json": ...}</c>, <c>{"map": {...}}</c> and <c>{"list": [...]}</c>. The count of
/// failed attempts (<see cref="OutboundMessage.PreviousAttempts"/>) is the last member, written only when above 0, so a
/// message's document changes only once a delivery retries.</summary>
internal static class OutboxJson
{
    public static byte[] Write(OutboundMessage m) => WriteDocument(w =>
    {
        w.WriteString("key", m.IdempotencyKey);
        w.WriteString("channel", m.Channel);
        w.WriteString("template", m.Template);
        w.WriteString("category", m.Category switch { MessageCategory.Transactional => "transactional", MessageCategory.Operational => "operational", _ => "marketing" });
        w.WriteNumber("priority", m.Priority);
        w.WriteString("customer", m.CustomerId);
        w.WriteString("journey", m.JourneyId);
        w.WriteNumber("version", m.JourneyVersion);
        w.WriteString("step", m.Step);
        w.WriteString("at", m.Timestamp);
        WriteOptional(w, "subject", m.Subject);
        WriteOptional(w, "body", m.Body);
        WriteMap(w, "traits", m.Traits, WritePropertyValue);
        WriteMap(w, "event", m.EventProperties, WritePropertyValue);
        if (m.Fields.Count > 0)
        {
            // Only when set: the rows of messages without fields stay as they were.
            w.WriteStartObject("fields");
            foreach (var (name, value) in m.Fields)
            {
                w.WriteString(name, value);
            }

            w.WriteEndObject();
        }

        if (m.BodyIsHtml)
        {
            w.WriteBoolean("html", true); // only when set: a plain message's bytes stay as they were
        }

        if (m.PreviousAttempts > 0)
        {
            w.WriteNumber("attempts", m.PreviousAttempts); // last, and only when set: a first attempt's bytes stay as they were
        }
    });

    /// <summary>Reads a document written by <see cref="Write"/>.</summary>
    /// <exception cref="FormatException">The document is not an outbox message; the message names what is wrong.</exception>
    public static OutboundMessage Read(ReadOnlyMemory<byte> json) => ReadDocument(json, root => new OutboundMessage
    {
        IdempotencyKey = String(root, "key"),
        Channel = String(root, "channel"),
        Template = String(root, "template"),
        Category = String(root, "category") switch { "transactional" => MessageCategory.Transactional, "operational" => MessageCategory.Operational, _ => MessageCategory.Marketing },
        Priority = Int(root, "priority"),
        CustomerId = String(root, "customer"),
        JourneyId = String(root, "journey"),
        JourneyVersion = Int(root, "version"),
        Step = String(root, "step"),
        Timestamp = Time(root, "at"),
        Subject = OptionalString(root, "subject"),
        Body = OptionalString(root, "body"),
        BodyIsHtml = root.TryGetProperty("html", out var html) && html.ValueKind == JsonValueKind.True,
        Traits = ReadMap(root, "traits", ReadPropertyValue),
        EventProperties = ReadMap(root, "event", ReadPropertyValue),
        Fields = ReadFields(root),
        PreviousAttempts = root.TryGetProperty("attempts", out var attempts) ? attempts.GetInt32() : 0,
    });

    private static IReadOnlyDictionary<string, string> ReadFields(JsonElement root)
    {
        if (!root.TryGetProperty("fields", out var members))
        {
            return System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty; // as a message made without fields
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in members.EnumerateObject())
        {
            fields[member.Name] = member.Value.GetString() ?? throw new FormatException($"outbox field '{member.Name}' is not a string");
        }

        return fields;
    }

    /// <summary>A trait or event property: a value as <see cref="DocumentJson.WriteValue"/> writes it, or a JSON element,
    /// map or list.</summary>
    internal static void WritePropertyValue(Utf8JsonWriter w, object? value)
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
                WriteMap(w, "map", map, WritePropertyValue);
                w.WriteEndObject();
                break;
            case IEnumerable list and not string:
                w.WriteStartObject();
                w.WriteStartArray("list");
                foreach (var item in list)
                {
                    WritePropertyValue(w, item);
                }

                w.WriteEndArray();
                w.WriteEndObject();
                break;
            default:
                WriteValue(w, value);
                break;
        }
    }

    internal static object? ReadPropertyValue(JsonElement e, string name)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            if (e.TryGetProperty("json", out var json))
            {
                return json.Clone();
            }

            if (e.TryGetProperty("map", out _))
            {
                return ReadMap(e, "map", ReadPropertyValue);
            }

            if (e.TryGetProperty("list", out var list))
            {
                return list.EnumerateArray().Select(item => ReadPropertyValue(item, name)).ToList();
            }
        }

        return ReadValue(e, name);
    }
}
