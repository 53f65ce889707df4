using System.Runtime.CompilerServices;
using Journeys.Language.Loading;
using Journeys.Persistence;
using Orleans.Storage;

namespace Journeys.Orleans;

/// <summary>A shard's <see cref="IJourneyStore"/> over <see cref="IGrainStorage"/>: a snapshot of every customer record,
/// written when the changes outgrow it, and the changes since — changed customers, the outbox, the journey versions —
/// written at every engine save, as one grain state (see docs/scale-out.md, "State through IGrainStorage"). Records stay
/// opaque. Called by the shard engine's one partition worker, one call at a time; a write the storage refuses (another
/// activation wrote since: the ETag) fails the save, which the engine keeps pending.</summary>
internal sealed class ShardStore(IGrainStorage storage, GrainId grainId, int foldThreshold) : IJourneyStore
{
    internal const string SnapshotState = "journeys-snapshot";
    internal const string ChangesState = "journeys-changes";

    private readonly GrainState<ShardSnapshot> _snapshot = new(new ShardSnapshot());
    private readonly GrainState<ShardChanges> _changes = new(new ShardChanges());
    private bool _loaded;

    private ShardChanges Changes => _changes.State!;

    private ShardSnapshot Snapshot => _snapshot.State!;

    /// <summary>How many messages the saved outbox holds (undelivered, or their end not saved yet).</summary>
    public int OutboxCount => Volatile.Read(ref _outboxCount);

    private int _outboxCount;

    /// <summary>How many times the changes were folded into the snapshot.</summary>
    public int Folds { get; private set; }

    private async ValueTask EnsureLoadedAsync(CancellationToken cancellationToken)
    {
        if (_loaded)
        {
            return;
        }

        await storage.ReadStateAsync(SnapshotState, grainId, _snapshot, cancellationToken).ConfigureAwait(false);
        await storage.ReadStateAsync(ChangesState, grainId, _changes, cancellationToken).ConfigureAwait(false);
        _snapshot.State ??= new ShardSnapshot();
        _changes.State ??= new ShardChanges();
        _outboxCount = Changes.Outbox.Count;
        _loaded = true;
    }

    /// <summary>The ids of every stored customer, read from the storage now.</summary>
    public async Task<string[]> StoredCustomerIdsAsync()
    {
        var snapshot = new GrainState<ShardSnapshot>(new ShardSnapshot());
        var changes = new GrainState<ShardChanges>(new ShardChanges());
        await storage.ReadStateAsync(SnapshotState, grainId, snapshot).ConfigureAwait(false);
        await storage.ReadStateAsync(ChangesState, grainId, changes).ConfigureAwait(false);
        return (snapshot.State?.Customers.Keys ?? Enumerable.Empty<string>()).Union(changes.State?.Customers.Keys ?? Enumerable.Empty<string>(), StringComparer.Ordinal)
            .Order(StringComparer.Ordinal).ToArray();
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<CustomerRecord> LoadCustomersAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
        var changed = Changes.Customers;
        foreach (var (id, record) in Snapshot.Customers)
        {
            if (!changed.ContainsKey(id))
            {
                yield return new CustomerRecord(id, record.Version, record.Data);
            }
        }

        foreach (var (id, record) in changed)
        {
            yield return new CustomerRecord(id, record.Version, record.Data);
        }

        Snapshot.Customers = new(StringComparer.Ordinal); // read once: the engine holds them now (the ETag stays)
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<OutboxRecord>> LoadOutboxAsync(CancellationToken cancellationToken)
    {
        await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
        return Changes.Outbox.Select(r => new OutboxRecord(r.Key, r.Version, r.Data)).ToList();
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JourneyVersionSource>> LoadJourneyVersionsAsync(CancellationToken cancellationToken)
    {
        await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
        return Changes.Versions.Select(v => new JourneyVersionSource(v.JourneyId, v.Version, v.Source)).ToList();
    }

    /// <inheritdoc />
    public async ValueTask SaveJourneyVersionsAsync(IReadOnlyList<JourneyVersionSource> versions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(versions);
        await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
        var next = Copy(Changes);
        next.Versions = versions.Select(v => new StoredVersion { JourneyId = v.JourneyId, Version = v.Version, Source = v.Source }).ToList();
        await WriteChangesAsync(next).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask SaveChangesAsync(IReadOnlyList<CustomerRecord> customers, IReadOnlyList<OutboxRecord> outboxAdded, IReadOnlyList<string> outboxDone,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(outboxAdded);
        ArgumentNullException.ThrowIfNull(outboxDone);
        cancellationToken.ThrowIfCancellationRequested();
        await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);

        // Copy on write: a write the storage refuses leaves the state as it was (the save is all or nothing).
        var next = Copy(Changes);
        foreach (var record in customers)
        {
            next.Customers[record.Id] = Stored(record.Id, record.Version, record.Data);
        }

        if (outboxDone.Count > 0)
        {
            var done = outboxDone.ToHashSet(StringComparer.Ordinal);
            next.Outbox.RemoveAll(r => done.Contains(r.Key));
        }

        foreach (var record in outboxAdded)
        {
            var stored = Stored(record.Key, record.Version, record.Data);
            var at = next.Outbox.FindIndex(r => r.Key == record.Key);
            if (at >= 0)
            {
                next.Outbox[at] = stored; // an attempt count saved: the message keeps its place
            }
            else
            {
                next.Outbox.Add(stored);
            }
        }

        await WriteChangesAsync(next).ConfigureAwait(false);
        if (next.Customers.Count >= foldThreshold && next.Customers.Count > next.SnapshotCount / 2)
        {
            await FoldAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Writes the snapshot with the changes merged in, then the changes without their customers. A crash between
    /// the two leaves changes that the snapshot already holds: loading applies them again, to the same result.</summary>
    private async Task FoldAsync()
    {
        await storage.ReadStateAsync(SnapshotState, grainId, _snapshot).ConfigureAwait(false); // the records were dropped after loading
        _snapshot.State ??= new ShardSnapshot();
        foreach (var (id, record) in Changes.Customers)
        {
            Snapshot.Customers[id] = record;
        }

        await storage.WriteStateAsync(SnapshotState, grainId, _snapshot).ConfigureAwait(false);
        var count = Snapshot.Customers.Count;
        Snapshot.Customers = new(StringComparer.Ordinal);
        var next = Copy(Changes);
        next.Customers = new(StringComparer.Ordinal);
        next.SnapshotCount = count;
        await WriteChangesAsync(next).ConfigureAwait(false);
        Folds++;
    }

    private async Task WriteChangesAsync(ShardChanges next)
    {
        var previous = _changes.State;
        _changes.State = next;
        try
        {
            await storage.WriteStateAsync(ChangesState, grainId, _changes).ConfigureAwait(false);
        }
        catch
        {
            _changes.State = previous;
            throw;
        }

        Volatile.Write(ref _outboxCount, next.Outbox.Count);
    }

    private static ShardChanges Copy(ShardChanges state) => new()
    {
        Customers = new Dictionary<string, StoredRecord>(state.Customers, StringComparer.Ordinal),
        Outbox = [.. state.Outbox],
        Versions = state.Versions,
        SnapshotCount = state.SnapshotCount,
    };

    private static StoredRecord Stored(string key, int version, ReadOnlyMemory<byte> data) => new() { Key = key, Version = version, Data = data.ToArray() };
}
