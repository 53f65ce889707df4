using Journeys.Delivery;
using Journeys.Diagnostics;

namespace Journeys.Persistence;

/// <summary>Encodes what the engine keeps into a store's opaque records and decodes them back: the engine's side of the
/// store contract. Format version 1 of both kinds is the JSON document of <see cref="SnapshotJson"/> and
/// <see cref="OutboxJson"/> (docs/operations.md); a newer format gets the next number and a reader here for each older one.</summary>
internal static class RecordCodec
{
    /// <summary>The format version this build writes for customers. Version 2 added, all optional: list traits (a JSON
    /// array of values), the <c>sums</c> member, and runs of journeys with cases and their entering event; a version 1
    /// document has none of them, so the same reader reads both.</summary>
    public const int CustomerFormat = 2;

    /// <summary>The format version this build writes for outbox messages.</summary>
    public const int OutboxFormat = 1;

    public static CustomerRecord Encode(CustomerSnapshot snapshot) => new(snapshot.Id, CustomerFormat, SnapshotJson.Write(snapshot));

    public static OutboxRecord Encode(OutboundMessage message) => new(message.IdempotencyKey, OutboxFormat, OutboxJson.Write(message));

    /// <exception cref="JourneyRecordException">The record's version is unknown or its payload is damaged.</exception>
    public static CustomerSnapshot Decode(CustomerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Version is < 1 or > CustomerFormat)
        {
            throw Unknown("customer", record.Id, record.Version, CustomerFormat);
        }

        try
        {
            return SnapshotJson.Read(record.Id, record.Data);
        }
        catch (FormatException ex)
        {
            throw new JourneyRecordException("customer", record.Id, record.Version, ex.Message, ex);
        }
    }

    /// <exception cref="JourneyRecordException">The record's version is unknown or its payload is damaged.</exception>
    public static OutboundMessage Decode(OutboxRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Version != OutboxFormat)
        {
            throw Unknown("outbox message", record.Key, record.Version, OutboxFormat);
        }

        try
        {
            return OutboxJson.Read(record.Data);
        }
        catch (FormatException ex)
        {
            throw new JourneyRecordException("outbox message", record.Key, record.Version, ex.Message, ex);
        }
    }

    private static JourneyRecordException Unknown(string kind, string key, int version, int known) => new(kind, key, version,
        version > known
            ? $"this version of Journeys reads format versions 1 to {known}; the record was written by a newer one. Run the newer Journeys."
            : $"format version {version} does not exist.");
}
