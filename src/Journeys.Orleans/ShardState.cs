namespace Journeys.Orleans;

/// <summary>A stored record (a customer's or an outbox message's) as grain storage keeps it: the engine's opaque record,
/// its bytes as an array so any storage serializer writes it.</summary>
[GenerateSerializer]
internal sealed class StoredRecord
{
    [Id(0)] public string Key { get; set; } = "";
    [Id(1)] public int Version { get; set; }
    [Id(2)] public byte[] Data { get; set; } = [];

    /// <summary>A tombstone: the customer was erased (no bytes kept); it removes them from the snapshot at the next fold.</summary>
    [Id(3)] public bool Erased { get; set; }
}

/// <summary>A shard's snapshot: every customer record, as of the last fold (grain state <c>journeys-snapshot</c>).</summary>
[GenerateSerializer]
internal sealed class ShardSnapshot
{
    [Id(0)] public Dictionary<string, StoredRecord> Customers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How many folds made it (the changes it goes with have the same generation).</summary>
    [Id(1)] public long Generation { get; set; }
}

/// <summary>A shard's changes since its snapshot (grain state <c>journeys-changes</c>, written at every engine save): the
/// customers changed, the whole outbox in the order messages were first added, the journey versions it runs, the
/// journeys paused on it and the engine's committed clock.</summary>
[GenerateSerializer]
internal sealed class ShardChanges
{
    [Id(0)] public Dictionary<string, StoredRecord> Customers { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public List<StoredRecord> Outbox { get; set; } = [];
    [Id(2)] public List<StoredVersion> Versions { get; set; } = [];
    [Id(3)] public int SnapshotCount { get; set; }

    /// <summary>The generation of the snapshot these changes apply to.</summary>
    [Id(4)] public long Generation { get; set; }

    /// <summary>The ids of the journeys paused on this shard (<see cref="Journeys.Persistence.IJourneyStore.SavePausedJourneysAsync"/>).</summary>
    [Id(5)] public List<string> Paused { get; set; } = [];

    /// <summary>The engine's committed clock in UTC ticks (<see cref="Journeys.Persistence.IJourneyStore.SaveCommittedClockAsync"/>);
    /// null in state written before it was kept (the shard's next start then makes nothing up).</summary>
    [Id(6)] public long? CommittedClock { get; set; }
}

/// <summary>A journey version a shard runs, as stored.</summary>
[GenerateSerializer]
internal sealed class StoredVersion
{
    [Id(0)] public string JourneyId { get; set; } = "";
    [Id(1)] public int Version { get; set; }
    [Id(2)] public string Source { get; set; } = "";
}

/// <summary>The ids of the customers a shard's stored snapshot and stored changes hold.</summary>
[GenerateSerializer]
internal sealed record StoredCustomers([property: Id(0)] string[] Snapshot, [property: Id(1)] string[] Changes);
