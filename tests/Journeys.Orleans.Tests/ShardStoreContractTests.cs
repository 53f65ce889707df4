using Journeys.Persistence;
using Journeys.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.TestingHost;
using StackExchange.Redis;

namespace Journeys.Orleans.Tests;

/// <summary>A one-silo cluster whose Redis grain storage the shard store tests write through (as a shard's engine does,
/// from its own threads).</summary>
public sealed class RedisStorageFixture : IAsyncLifetime
{
    private InProcessTestCluster _cluster = null!;

    internal IGrainStorage Storage { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddRedisGrainStorage("redis", o => o.ConfigurationOptions = ConfigurationOptions.Parse(ClusterRun.Redis)));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        Storage = _cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>("redis");
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class RedisStorageCollection : ICollectionFixture<RedisStorageFixture>
{
    public const string Name = "redis grain storage";
}

/// <summary>The shard's store passes the store contract on Redis grain storage, folding its changes into the snapshot at
/// nearly every save (a fold threshold of 1), so every reload reads a snapshot and changes.</summary>
[Collection(RedisStorageCollection.Name)]
public sealed class ShardStoreFoldingContractTests(RedisStorageFixture redis) : StoreContractTests<IJourneyStore>
{
    private readonly GrainId _shard = GrainId.Create("journeys-test-shard", Guid.NewGuid().ToString("N"));

    protected override IJourneyStore OpenStore() => new ShardStore(redis.Storage, _shard, foldThreshold: 1);
}

/// <summary>The shard's store passes the store contract on Redis grain storage with its changes never folded.</summary>
[Collection(RedisStorageCollection.Name)]
public sealed class ShardStoreContractTests(RedisStorageFixture redis) : StoreContractTests<IJourneyStore>
{
    private readonly GrainId _shard = GrainId.Create("journeys-test-shard", Guid.NewGuid().ToString("N"));

    protected override IJourneyStore OpenStore() => new ShardStore(redis.Storage, _shard, foldThreshold: int.MaxValue);
}

/// <summary>What the shard store does beyond the contract: recover from a write whose answer was lost, stay fenced off
/// after another activation wrote.</summary>
[Collection(RedisStorageCollection.Name)]
public sealed class ShardStoreTests(RedisStorageFixture redis)
{
    private readonly GrainId _shard = GrainId.Create("journeys-test-shard", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Save_WriteLandedButItsAnswerLost_NextSaveGoesThrough()
    {
        var storage = new LosesAnAnswer(redis.Storage);
        var store = new ShardStore(storage, _shard, foldThreshold: 256);
        await store.SaveChangesAsync([Record("c1", 1)], [], [], CancellationToken.None);

        storage.LoseNext = true;
        await Assert.ThrowsAsync<TimeoutException>(async () => await store.SaveChangesAsync([Record("c1", 2)], [], [], CancellationToken.None));
        await store.SaveChangesAsync([Record("c1", 3)], [], [], CancellationToken.None); // the engine's retry: the ETag is read again

        Assert.Equal([3], await DataOfAsync(new ShardStore(redis.Storage, _shard, 256), "c1"));
    }

    [Fact]
    public async Task Save_AfterAnotherActivationWrote_RefusedAndStaysRefused()
    {
        var old = new ShardStore(redis.Storage, _shard, foldThreshold: 256);
        await old.SaveChangesAsync([Record("c1", 1)], [], [], CancellationToken.None);
        var next = new ShardStore(redis.Storage, _shard, foldThreshold: 256);
        await next.SaveChangesAsync([Record("c1", 2)], [], [], CancellationToken.None); // the shard's new activation

        await Assert.ThrowsAsync<InconsistentStateException>(async () => await old.SaveChangesAsync([Record("c1", 9)], [], [], CancellationToken.None));
        await Assert.ThrowsAsync<InconsistentStateException>(async () => await old.SaveChangesAsync([Record("c1", 9)], [], [], CancellationToken.None));

        Assert.Equal([2], await DataOfAsync(new ShardStore(redis.Storage, _shard, 256), "c1"));
    }

    [Fact]
    public async Task PausedJourneys_KeptInTheShardsState_AcrossAFoldAndTheNextActivation()
    {
        var store = new ShardStore(redis.Storage, _shard, foldThreshold: 1);
        await store.SavePausedJourneysAsync(["nurture", "birthday"], CancellationToken.None);
        await store.SaveChangesAsync([Record("c1", 1)], [], [], CancellationToken.None); // folds: snapshot and changes rewritten

        var next = new ShardStore(redis.Storage, _shard, foldThreshold: 1); // the shard's next activation
        Assert.Equal(["nurture", "birthday"], await next.LoadPausedJourneysAsync(CancellationToken.None));
        Assert.Equal([1], await DataOfAsync(next, "c1"));
    }

    private static CustomerRecord Record(string id, byte data) => new(id, 1, new[] { data });

    private static async Task<byte[]> DataOfAsync(ShardStore store, string id)
    {
        await foreach (var record in store.LoadCustomersAsync(CancellationToken.None))
        {
            if (record.Id == id)
            {
                return record.Data.ToArray();
            }
        }

        throw new KeyNotFoundException(id);
    }

    /// <summary>Writes through, and once asked, throws after the write landed: a timeout that hides a write.</summary>
    private sealed class LosesAnAnswer(IGrainStorage inner) : IGrainStorage
    {
        public bool LoseNext { get; set; }

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

        public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (!LoseNext)
            {
                await inner.WriteStateAsync(stateName, grainId, grainState);
                return;
            }

            LoseNext = false;
            await inner.WriteStateAsync(stateName, grainId, new GrainState<T>(grainState.State, grainState.ETag)); // the caller never sees the new ETag
            throw new TimeoutException("The answer was lost.");
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);
    }
}
