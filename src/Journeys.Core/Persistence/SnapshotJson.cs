using System.Text.Json;
using static Journeys.Persistence.DocumentJson;

namespace Journeys.Persistence;

/// <summary>The JSON payload of a <see cref="CustomerRecord"/> of format versions 1 and 2 (format described in docs/operations.md;
/// version 2 adds list traits, <c>sums</c>, a run's <c>case</c> and <c>entry</c>, a journey's <c>cases</c> and a held send's
/// <c>case</c>, all optional): the snapshot's field list, written and read through <see cref="DocumentJson"/>, which
/// <see cref="OutboxJson"/> shares.</summary>
internal static class SnapshotJson
{
    public static byte[] Write(CustomerSnapshot s) => WriteDocument(w =>
    {
        w.WriteString("timeZone", s.TimeZone);
        WriteOptional(w, "firstSeen", s.FirstSeen);
        WriteMap(w, "traits", s.Traits, WriteValue);

        WriteObjects(w, "instances", s.Instances, i =>
        {
            w.WriteString("journey", i.JourneyId);
            w.WriteNumber("version", i.Version);
            w.WriteNumber("sequence", i.Sequence);
            w.WriteString("step", i.Step);
            w.WriteString("enteredAt", i.EnteredAt);
            w.WriteString("arrivedAt", i.ArrivedAt);
            WriteFlag(w, "converted", i.Converted);
            WriteOptional(w, "case", i.Case);
            if (i.Entry is { } entry)
            {
                WriteMap(w, "entry", entry, OutboxJson.WritePropertyValue); // event properties, as an outbox message keeps them
            }
        });

        WriteObjects(w, "journeys", s.Journeys, m =>
        {
            w.WriteString("journey", m.JourneyId);
            w.WriteNumber("entries", m.Entries);
            WriteOptional(w, "lastEntry", m.LastEntry);
            WriteOptional(w, "nextDate", m.NextDate);
            WriteOptional(w, "inactivityDue", m.InactivityDue);
            WriteFlag(w, "inactivityWaitsForActivity", m.InactivityWaitsForActivity);
            if (m.Cases.Count > 0)
            {
                WriteObjects(w, "cases", m.Cases, c =>
                {
                    w.WriteString("key", c.Key);
                    w.WriteNumber("entries", c.Entries);
                    w.WriteString("lastEntry", c.LastEntry);
                });
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
            WriteOptional(w, "reason", d.Reason);
            WriteOptional(w, "case", d.Case);
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
            WriteOptional(w, "lastSeen", a.LastSeen);
        });

        if (s.Sums.Count > 0) // format version 2; left out when empty, as a version 1 document is
        {
            WriteObjects(w, "sums", s.Sums, sum =>
            {
                w.WriteString("event", sum.EventType);
                w.WriteString("property", sum.Property);
                w.WriteStartArray("at");
                foreach (var (at, _) in sum.Entries)
                {
                    w.WriteStringValue(at);
                }

                w.WriteEndArray();
                w.WriteStartArray("amount");
                foreach (var (_, amount) in sum.Entries)
                {
                    w.WriteNumberValue(amount);
                }

                w.WriteEndArray();
            });
        }
    });

    /// <summary>Reads a document written by <see cref="Write"/>.</summary>
    /// <exception cref="FormatException">The document is not a snapshot; the message names what is wrong.</exception>
    public static CustomerSnapshot Read(string id, ReadOnlyMemory<byte> json) => ReadDocument(json, root => new CustomerSnapshot
    {
        Id = id,
        TimeZone = String(root, "timeZone"),
        FirstSeen = OptionalTime(root, "firstSeen"),
        Traits = ReadMap(root, "traits", ReadValue),
        Instances = List(root, "instances", e => new InstanceSnapshot(String(e, "journey"), Int(e, "version"), Int(e, "sequence"),
            String(e, "step"), Time(e, "enteredAt"), Time(e, "arrivedAt"), Flag(e, "converted"))
        {
            Case = OptionalString(e, "case"),
            Entry = e.TryGetProperty("entry", out _) ? ReadMap(e, "entry", OutboxJson.ReadPropertyValue) : null,
        }),
        Journeys = List(root, "journeys", e => new JourneyMemorySnapshot(String(e, "journey"), Int(e, "entries"),
            OptionalTime(e, "lastEntry"), OptionalTime(e, "nextDate"), OptionalTime(e, "inactivityDue"), Flag(e, "inactivityWaitsForActivity"))
        {
            Cases = e.TryGetProperty("cases", out _) ? List(e, "cases", c => new CaseKeySnapshot(String(c, "key"), Int(c, "entries"), Time(c, "lastEntry"))) : Array.Empty<CaseKeySnapshot>(),
        }),
        Sends = List(root, "sends", e => new SentSnapshot(Time(e, "at"), String(e, "channel"), String(e, "journey"))),
        Deferred = List(root, "deferred", e => new DeferredSnapshot(String(e, "journey"), Int(e, "version"), Int(e, "sequence"),
            String(e, "step"), Int(e, "sendIndex"), Time(e, "deferredAt"), Time(e, "retryAt"), OptionalString(e, "reason"))
        {
            Case = OptionalString(e, "case"),
        }),
        Activity = List(root, "activity", e => new ActivitySnapshot(String(e, "event"),
            Property(e, "times").EnumerateArray().Select(t => t.GetDateTimeOffset()).ToList(), OptionalTime(e, "lastSeen"))),
        Sums = List(root, "sums", ReadSum),
    });

    private static SumSnapshot ReadSum(JsonElement e)
    {
        var at = Property(e, "at");
        var amount = Property(e, "amount");
        Expect(at, JsonValueKind.Array, "sums.at");
        Expect(amount, JsonValueKind.Array, "sums.amount");
        if (at.GetArrayLength() != amount.GetArrayLength())
        {
            throw new FormatException($"sums of '{String(e, "event")}'.'{String(e, "property")}' have {at.GetArrayLength()} times and {amount.GetArrayLength()} amounts");
        }

        return new SumSnapshot(String(e, "event"), String(e, "property"),
            at.EnumerateArray().Zip(amount.EnumerateArray(), (t, a) => (t.GetDateTimeOffset(), a.ValueKind == JsonValueKind.Number ? a.GetDouble() : throw new FormatException("an amount of sums is not a number"))).ToList());
    }
}
