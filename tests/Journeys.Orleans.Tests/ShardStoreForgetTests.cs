using Journeys.Persistence;
using Orleans.Runtime;
using Orleans.Storage;

namespace Journeys.Orleans.Tests;

/// <summary>The shard's store as an <see cref="ICustomerControlStore"/> on Redis grain storage: a point read of one
/// customer, and an erase that removes their record from the changes and the snapshot and their outbox rows, kept even
/// when the fold after it fails.</summary>
[Collection(RedisStorageCollection.Name)]
public sealed class ShardStoreForgetTests(RedisStorageFixture redis)
{
    private readonly GrainId _shard = GrainId.Create("journeys-test-shard", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task ForgetCustomer_InSnapshotAndChanges_GoneFromBoth_WithItsOutboxRows_OthersKept()
    {
        var store = new ShardStore(redis.Storage, _shard, foldThreshold: 2);
        await store.SaveChangesAsync([Record("c1", 1), Record("c2", 2)], [], [], CancellationToken.None); // folds: both in the snapshot
        await store.SaveChangesAsync([Record("c1", 3)], [Outbox("k1", 1), Outbox("k2", 2)], [], CancellationToken.None); // c1 in the changes too

        await store.ForgetCustomerAsync("c1", ["k1"], CancellationToken.None);

        var next = new ShardStore(redis.Storage, _shard, foldThreshold: 2); // the shard's next activation
        Assert.Equal(["c2"], await IdsAsync(next));
        Assert.Equal(["k2"], (await next.LoadOutboxAsync(CancellationToken.None)).Select(r => r.Key));
        Assert.Null(await next.LoadCustomerAsync("c1", CancellationToken.None));
        var (snapshot, changes) = await next.StoredCustomerIdsAsync();
        Assert.Equal(["c2"], snapshot);
        Assert.Empty(changes);
    }

    [Fact]
    public async Task LoadCustomer_FromTheChangesOrTheSnapshot_NullWhenUnknown()
    {
        var store = new ShardStore(redis.Storage, _shard, foldThreshold: 2);
        await store.SaveChangesAsync([Record("in-snapshot", 1), Record("x", 9)], [], [], CancellationToken.None); // folds
        await store.SaveChangesAsync([Record("in-changes", 2)], [], [], CancellationToken.None);

        var next = new ShardStore(redis.Storage, _shard, foldThreshold: 2);
        Assert.Equal([1], (await next.LoadCustomerAsync("in-snapshot", CancellationToken.None))!.Data.ToArray());
        Assert.Equal([2], (await next.LoadCustomerAsync("in-changes", CancellationToken.None))!.Data.ToArray());
        Assert.Null(await next.LoadCustomerAsync("unknown", CancellationToken.None));
        Assert.Empty(await next.LoadAliasesAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ForgetCustomer_FoldAfterItFails_EraseIsKept_CallingAgainRemovesTheSnapshotsBytes()
    {
        var storage = new RefusesSnapshots(redis.Storage);
        var store = new ShardStore(storage, _shard, foldThreshold: 1);
        await store.SaveChangesAsync([Record("c1", 1), Record("c2", 2)], [], [], CancellationToken.None); // folds: in the snapshot

        storage.Refusing = true;
        await Assert.ThrowsAsync<IOException>(async () => await store.ForgetCustomerAsync("c1", [], CancellationToken.None));

        var next = new ShardStore(storage, _shard, foldThreshold: 1);
        Assert.Equal(["c2"], await IdsAsync(next)); // the tombstone in the changes hides the snapshot's record
        Assert.Null(await next.LoadCustomerAsync("c1", CancellationToken.None));
        Assert.Contains("c1", (await next.StoredCustomerIdsAsync()).Snapshot); // its bytes are still there

        storage.Refusing = false;
        await next.ForgetCustomerAsync("c1", [], CancellationToken.None);
        var (snapshot, changes) = await next.StoredCustomerIdsAsync();
        Assert.Equal(["c2"], snapshot);
        Assert.Empty(changes);
        Assert.Equal(["c2"], await IdsAsync(new ShardStore(storage, _shard, foldThreshold: 1)));
    }

    [Fact]
    public async Task MergeCustomers_NotSupportedOnAShard()
    {
        var store = new ShardStore(redis.Storage, _shard, foldThreshold: 2);
        await Assert.ThrowsAsync<NotSupportedException>(async () => await store.MergeCustomersAsync(Record("a", 1), "b", CancellationToken.None));
    }

    private static CustomerRecord Record(string id, byte data) => new(id, 1, new[] { data });

    private static OutboxRecord Outbox(string key, byte data) => new(key, 1, new[] { data });

    private static async Task<List<string>> IdsAsync(ShardStore store)
    {
        var ids = new List<string>();
        await foreach (var record in store.LoadCustomersAsync(CancellationToken.None))
        {
            ids.Add(record.Id);
        }

        return [.. ids.Order(StringComparer.Ordinal)];
    }

    /// <summary>While <see cref="Refusing"/>, refuses every write of the snapshot state (a fold cannot complete).</summary>
    private sealed class RefusesSnapshots(IGrainStorage inner) : IGrainStorage
    {
        public bool Refusing { get; set; }

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
            Refusing && stateName == ShardStore.SnapshotState
                ? Task.FromException(new IOException("The snapshot write was refused."))
                : inner.WriteStateAsync(stateName, grainId, grainState);

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);
    }
}
