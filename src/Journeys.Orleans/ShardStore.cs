using System.Runtime.CompilerServices;
using Journeys.Language.Loading;
using Journeys.Persistence;
using Orleans.Storage;

namespace Journeys.Orleans;

/// <summary>A shard's <see cref="IJourneyStore"/> over <see cref="IGrainStorage"/>: a snapshot of every customer record,
/// written when the changes reach the fold threshold (a fold), and the changes since — changed customers, the outbox, the journey
/// versions, the paused journeys — written at every engine save as one grain state (see docs/scale-out.md, "State through IGrainStorage").
/// Records stay opaque. Thread-safe (one call at a time); a write the storage refuses (another activation wrote since:
/// the ETag) fails the save, which the engine keeps pending.
/// <para>Folds and readers: a fold writes the snapshot (generation g+1) and then the changes (emptied, generation g+1).
/// A reader reads the changes, then the snapshot, and accepts them when their generations agree; a snapshot one
/// generation ahead means a fold is between its two writes (read again), or one that crashed there (its snapshot holds
/// the changes' customers at least as new: the changes apply over it to the same result).</para>
/// <para>Erasing a customer (<see cref="ForgetCustomerAsync"/>) writes a tombstone for them in the changes (the erase is
/// kept from that write on: a tombstone reads as "no record"), then folds at once, which rewrites the snapshot without
/// them and drops the tombstone, so no byte of theirs stays in the shard's state.</para></summary>
internal sealed class ShardStore(IGrainStorage storage, GrainId grainId, int foldThreshold) : ICustomerControlStore
{
    internal const string SnapshotState = "journeys-snapshot";
    internal const string ChangesState = "journeys-changes";
    private const int ReadAttempts = 20;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly GrainState<ShardSnapshot> _snapshot = new(new ShardSnapshot());
    private readonly GrainState<ShardChanges> _changes = new(new ShardChanges());
    private bool _loaded;
    private int _outboxCount;

    private ShardChanges Changes => _changes.State!;

    /// <summary>How many messages the saved outbox holds (undelivered, or their end not saved yet).</summary>
    public int OutboxCount => Volatile.Read(ref _outboxCount);

    /// <summary>Reads the changes, then the snapshot, until their generations agree (see the class remarks); the snapshot's
    /// customers are returned and not kept.</summary>
    private async Task<Dictionary<string, StoredRecord>> ReadAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await storage.ReadStateAsync(ChangesState, grainId, _changes, cancellationToken).ConfigureAwait(false);
            await storage.ReadStateAsync(SnapshotState, grainId, _snapshot, cancellationToken).ConfigureAwait(false);
            _changes.State ??= new ShardChanges();
            var snapshot = _snapshot.State ?? new ShardSnapshot();
            _snapshot.State = new ShardSnapshot { Generation = snapshot.Generation }; // only the ETag and generation are kept
            _loaded = true;
            Volatile.Write(ref _outboxCount, Changes.Outbox.Count);
            var ahead = snapshot.Generation - Changes.Generation;
            if (ahead == 0 || (ahead == 1 && attempt >= ReadAttempts / 2))
            {
                return snapshot.Customers;
            }

            if (attempt == ReadAttempts)
            {
                throw new InvalidOperationException($"Shard {grainId}: its snapshot (generation {snapshot.Generation}) and changes (generation " +
                                                    $"{Changes.Generation}) did not agree in {ReadAttempts} reads: another activation keeps folding.");
            }
        }
    }

    private async Task EnterAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask EnsureLoadedAsync(CancellationToken cancellationToken)
    {
        if (!_loaded)
        {
            await ReadAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The ids of the customers in the stored snapshot and in the stored changes, read from the storage now.</summary>
    public async Task<(string[] Snapshot, string[] Changes)> StoredCustomerIdsAsync()
    {
        var snapshot = new GrainState<ShardSnapshot>(new ShardSnapshot());
        var changes = new GrainState<ShardChanges>(new ShardChanges());
        await storage.ReadStateAsync(ChangesState, grainId, changes).ConfigureAwait(false);
        await storage.ReadStateAsync(SnapshotState, grainId, snapshot).ConfigureAwait(false);
        return (snapshot.State?.Customers.Keys.ToArray() ?? [], changes.State?.Customers.Keys.ToArray() ?? []);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<CustomerRecord> LoadCustomersAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<CustomerRecord> records;
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var customers = await ReadAsync(cancellationToken).ConfigureAwait(false); // always from the storage: it is what was saved
            ApplyChanges(customers, Changes);
            records = customers.Select(c => new CustomerRecord(c.Key, c.Value.Version, c.Value.Data)).ToList();
        }
        finally
        {
            _gate.Release();
        }

        foreach (var record in records)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return record;
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<OutboxRecord>> LoadOutboxAsync(CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ReadAsync(cancellationToken).ConfigureAwait(false);
            return Changes.Outbox.Select(r => new OutboxRecord(r.Key, r.Version, r.Data)).ToList();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JourneyVersionSource>> LoadJourneyVersionsAsync(CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ReadAsync(cancellationToken).ConfigureAwait(false);
            return Changes.Versions.Select(v => new JourneyVersionSource(v.JourneyId, v.Version, v.Source)).ToList();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask SaveJourneyVersionsAsync(IReadOnlyList<JourneyVersionSource> versions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(versions);
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
            var next = Copy(Changes);
            next.Versions = versions.Select(v => new StoredVersion { JourneyId = v.JourneyId, Version = v.Version, Source = v.Source }).ToList();
            await WriteChangesAsync(next).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<string>> LoadPausedJourneysAsync(CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ReadAsync(cancellationToken).ConfigureAwait(false);
            return [.. Changes.Paused];
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask SavePausedJourneysAsync(IReadOnlyList<string> journeyIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journeyIds);
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
            var next = Copy(Changes);
            next.Paused = [.. journeyIds];
            await WriteChangesAsync(next).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask<DateTimeOffset?> LoadCommittedClockAsync(CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ReadAsync(cancellationToken).ConfigureAwait(false);
            return Changes.CommittedClock is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask SaveCommittedClockAsync(DateTimeOffset clock, CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
            var next = Copy(Changes);
            next.CommittedClock = clock.UtcTicks;
            await WriteChangesAsync(next).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask SaveChangesAsync(IReadOnlyList<CustomerRecord> customers, IReadOnlyList<OutboxRecord> outboxAdded, IReadOnlyList<string> outboxDone,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(outboxAdded);
        ArgumentNullException.ThrowIfNull(outboxDone);
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
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
            if (next.Customers.Count >= foldThreshold)
            {
                await FoldAsync().ConfigureAwait(false); // the batch is saved: a failed fold is tried again at the next save
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    /// <remarks>A customer in the changes is read from memory; one only in the snapshot reads the whole snapshot state
    /// (grain storage has no per-key read).</remarks>
    public async ValueTask<CustomerRecord?> LoadCustomerAsync(string customerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
            if (!Changes.Customers.TryGetValue(customerId, out var record))
            {
                var snapshot = new GrainState<ShardSnapshot>(new ShardSnapshot());
                await storage.ReadStateAsync(SnapshotState, grainId, snapshot, cancellationToken).ConfigureAwait(false);
                if (snapshot.State?.Customers.TryGetValue(customerId, out record) != true)
                {
                    return null;
                }
            }

            return IsTombstone(record!) ? null : new CustomerRecord(record!.Key, record.Version, record.Data);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    /// <remarks>Two writes: the changes with a tombstone for the customer and without the outbox rows (from here the erase
    /// is kept), then a fold, which rewrites the snapshot without the customer and the changes without the tombstone. If
    /// the fold fails, the call throws with the erase kept and the customer's old record still in the snapshot's bytes;
    /// calling again (or the next fold) removes them.</remarks>
    public async ValueTask ForgetCustomerAsync(string customerId, IReadOnlyList<string> outboxKeys, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        ArgumentNullException.ThrowIfNull(outboxKeys);
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
            var next = Copy(Changes);
            next.Customers[customerId] = Tombstone(customerId);
            if (outboxKeys.Count > 0)
            {
                var erased = outboxKeys.ToHashSet(StringComparer.Ordinal);
                next.Outbox.RemoveAll(r => erased.Contains(r.Key));
            }

            await WriteChangesAsync(next).ConfigureAwait(false);
            await FoldAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    /// <remarks>A shard keeps no aliases: merging is not offered on a cluster (see <see cref="MergeCustomersAsync"/>).</remarks>
    public ValueTask<IReadOnlyList<CustomerAlias>> LoadAliasesAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IReadOnlyList<CustomerAlias>>([]);
    }

    /// <inheritdoc />
    /// <remarks>Not supported: the two ids of a merge live in different shards in general, and the client-side router
    /// would need the alias to send the merged id's inputs to the kept customer's shard (docs/scale-out.md, "Operator
    /// controls"). No cluster API reaches a shard engine's merge, so this is never called by one.</remarks>
    /// <exception cref="NotSupportedException">Always.</exception>
    public ValueTask MergeCustomersAsync(CustomerRecord kept, string mergedId, CancellationToken cancellationToken) =>
        throw new NotSupportedException("A shard's store does not merge customers: a merge crosses shards (see docs/scale-out.md, \"Operator controls\").");

    /// <summary>Writes the snapshot with the changes merged in (next generation), then the changes without their customers
    /// (the same generation). A crash between the two leaves a snapshot one generation ahead that already holds the
    /// changes' customers: loading applies them again, to the same result, and the next fold writes that generation again.</summary>
    private async Task FoldAsync()
    {
        var generation = Changes.Generation + 1;
        await storage.ReadStateAsync(SnapshotState, grainId, _snapshot).ConfigureAwait(false); // its customers were not kept
        var snapshot = _snapshot.State ?? new ShardSnapshot();
        ApplyChanges(snapshot.Customers, Changes);
        snapshot.Generation = generation;
        _snapshot.State = snapshot;
        await storage.WriteStateAsync(SnapshotState, grainId, _snapshot).ConfigureAwait(false);
        var count = snapshot.Customers.Count;
        _snapshot.State = new ShardSnapshot { Generation = generation };
        var next = Copy(Changes);
        next.Customers = new(StringComparer.Ordinal);
        next.SnapshotCount = count;
        next.Generation = generation;
        await WriteChangesAsync(next).ConfigureAwait(false);
    }

    private async Task WriteChangesAsync(ShardChanges next)
    {
        var previous = _changes.State;
        _changes.State = next;
        try
        {
            await storage.WriteStateAsync(ChangesState, grainId, _changes).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _changes.State = previous;
            if (ex is not InconsistentStateException)
            {
                // A timeout may hide a write that landed, with an ETag this store never saw: read again before the next
                // write (the engine writes the same changes again). A version conflict is another activation's write:
                // then this one is fenced off and stays so.
                _loaded = false;
            }

            throw;
        }

        Volatile.Write(ref _outboxCount, next.Outbox.Count);
    }

    /// <summary>The changes' customers over a snapshot's: a changed record replaces the snapshot's, a tombstone removes it.</summary>
    private static void ApplyChanges(Dictionary<string, StoredRecord> customers, ShardChanges changes)
    {
        foreach (var (id, record) in changes.Customers)
        {
            if (IsTombstone(record))
            {
                customers.Remove(id);
            }
            else
            {
                customers[id] = record;
            }
        }
    }

    /// <summary>An erased customer's entry in the changes until the fold that follows the erase: no bytes.</summary>
    private static StoredRecord Tombstone(string customerId) => new() { Key = customerId, Erased = true };

    private static bool IsTombstone(StoredRecord record) => record.Erased;

    private static ShardChanges Copy(ShardChanges state) => new()
    {
        Customers = new Dictionary<string, StoredRecord>(state.Customers, StringComparer.Ordinal),
        Outbox = [.. state.Outbox],
        Versions = state.Versions,
        Paused = state.Paused,
        CommittedClock = state.CommittedClock,
        SnapshotCount = state.SnapshotCount,
        Generation = state.Generation,
    };

    private static StoredRecord Stored(string key, int version, ReadOnlyMemory<byte> data) => new() { Key = key, Version = version, Data = data.ToArray() };
}
