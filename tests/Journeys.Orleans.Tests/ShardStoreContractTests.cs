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
