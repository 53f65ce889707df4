using System.Text;
using Journeys.Language.Loading;
using Journeys.State;
using StackExchange.Redis;

namespace Journeys.Orleans.Tests;

/// <summary>Erasing a customer through the cluster (<see cref="IJourneyCluster.ForgetAsync"/>): the shard's engine forgets
/// them, and the shard's stored state — snapshot and changes, in Redis — keeps no byte of theirs, across the shard's
/// next activation; their neighbours in the shard go on.</summary>
public sealed class ClusterForgetTests
{
    private const string Erased = "erase-me";

    [Fact]
    public async Task Forget_ThroughTheCluster_ErasesFromTheShardsEngineAndItsRedisState_NeighboursGoOn()
    {
        var catalog = JourneyLoader.LoadYaml(("nudge.yaml", ShardReminderTests.Nudge)).ThrowIfInvalid();
        await using var run = await ClusterRun.StartAsync(catalog, silos: 2, foldThreshold: 1); // every save folds: records sit in the snapshot
        var shardOf = run.Journeys.ShardOf(Erased);
        var neighbour = Enumerable.Range(0, 1000).Select(i => $"neighbour-{i}").First(id => run.Journeys.ShardOf(id) == shardOf);
        var t0 = run.Time.GetUtcNow();
        await run.Journeys.PublishAsync([new CustomerEvent(Erased, "signed_up", t0), new CustomerEvent(neighbour, "signed_up", t0)]);
        await run.Journeys.DrainAsync();
        Assert.Equal("wait", Assert.Single((await run.Journeys.InspectCustomerAsync(Erased))!.Runs).Step);
        Assert.True(await StateMentionsAsync(run, Erased), "before the erase, the shard's state in Redis holds the customer");

        var result = await run.Journeys.ForgetAsync(Erased);

        Assert.Equal(Erased, result.CustomerId);
        Assert.True(result.Found);
        Assert.Equal(["nudge"], result.RunsEnded);
        Assert.Null(await run.Journeys.InspectCustomerAsync(Erased));
        var stored = await run.Cluster.Client.GetGrain<IJourneyShardGrain>(shardOf).StoredCustomersAsync();
        Assert.DoesNotContain(Erased, stored.Snapshot.Concat(stored.Changes));
        Assert.Contains(neighbour, stored.Snapshot.Concat(stored.Changes));
        Assert.False(await StateMentionsAsync(run, Erased), "after the erase, no byte of the customer's is in the shard's state");
        Assert.True(await StateMentionsAsync(run, neighbour));

        // The erased customer's timer is gone; the neighbour's fires. The shard's next activation loads no erased customer.
        run.Time.Advance(TimeSpan.FromMinutes(1));
        await run.Journeys.DrainAsync();
        Assert.Equal([neighbour], run.Delivered.Select(m => m.CustomerId));
        await run.Cluster.DeactivateAsync(run.Cluster.Client.GetGrain<IJourneyShardGrain>(shardOf));
        Assert.Null(await run.Journeys.InspectCustomerAsync(Erased));
        Assert.NotNull(await run.Journeys.InspectCustomerAsync(neighbour));

        // Erasing again (an id the shard does not know) is harmless; a later event starts a new customer.
        Assert.False((await run.Journeys.ForgetAsync(Erased)).Found);
        await run.Journeys.PublishAsync(new CustomerEvent(Erased, "signed_up", run.Time.GetUtcNow()));
        Assert.Equal("wait", Assert.Single((await run.Journeys.InspectCustomerAsync(Erased))!.Runs).Step);
    }

    /// <summary>Whether any grain state this run wrote to Redis (<c>{ServiceId}/state/...</c> hashes, their <c>data</c>
    /// field) holds the id's UTF-8 bytes.</summary>
    private static async Task<bool> StateMentionsAsync(ClusterRun run, string customerId)
    {
        var needle = Encoding.UTF8.GetBytes(customerId);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(ClusterRun.Redis);
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        var found = false;
        var keys = 0;
        await foreach (var key in server.KeysAsync(pattern: $"{run.ClusterId}/state/*"))
        {
            keys++;
            var data = (byte[]?)await redis.GetDatabase().HashGetAsync(key, "data");
            found |= data is not null && data.AsSpan().IndexOf(needle) >= 0;
        }

        Assert.True(keys > 0, "the run's grain state is in Redis under its service id");
        return found;
    }
}
