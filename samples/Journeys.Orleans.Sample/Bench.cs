using System.Diagnostics;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.State;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Orleans.Sample;

/// <summary>Events/s of the same input through the plain engine (one process, its default partitions, no store) and
/// through clusters of one and two silos in this process (Redis storage, clustering and reminders), and how many events a
/// grain call carries per shard. A short, noisy measurement for docs/scale-out.md, not a BenchmarkDotNet job.</summary>
internal static class Bench
{
    private const int Batch = 4096;

    // Small: with about 200 customers a shard, the default (256) would make every save rewrite the shard whole.
    private const int FoldThreshold = 32;

    public static async Task RunAsync(string redis, JourneyCatalog catalog, IReadOnlyList<IJourneyAction> actions, int count, int shards)
    {
        var start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
        var types = new[] { "app_open", "page_view", "login", "interaction", "order_completed", "signed_up" };
        var random = new Random(1);
        var customers = Math.Max(1, count / 4);
        var events = Enumerable.Range(0, count)
            .Select(i => new CustomerEvent($"c{random.Next(customers):D7}", types[random.Next(types.Length)], start))
            .ToArray();
        var batches = events.Chunk(Batch).ToArray();
        var calls = batches.Sum(b => b.Select(e => CustomerPartitions.PartitionOf(e.CustomerId, shards)).Distinct().Count());
        Console.WriteLine($"{count:N0} events over {customers:N0} customers, batches of {Batch}; {shards} shards: " +
                          $"{(double)count / calls:F1} events per grain call on average ({calls:N0} calls)");

        var plain = await PlainAsync(catalog, actions, start, batches);
        Console.WriteLine($"plain engine ({Environment.ProcessorCount} partitions, no store): {count / plain.TotalSeconds,12:N0} events/s");
        foreach (var silos in new[] { 1, 2 })
        {
            var (activation, run) = await ClusterAsync(redis, catalog, actions, start, batches, silos, shards);
            Console.WriteLine($"{silos} silo(s), Redis storage (fold at {FoldThreshold}): {count / run.TotalSeconds,12:N0} events/s " +
                              $"({plain.TotalSeconds / run.TotalSeconds:P1} of the plain engine; activating {shards} shards took {activation.TotalSeconds:F1} s)");
        }
    }

    private static async Task<TimeSpan> PlainAsync(JourneyCatalog catalog, IReadOnlyList<IJourneyAction> actions, DateTimeOffset start, CustomerEvent[][] batches)
    {
        await using var engine = new JourneyEngineBuilder().UseCatalog(catalog).AddChannel(new RecordingChannel()).AddActions(actions)
            .UseTimeProvider(new FakeTimeProvider(start)).Build().Start();
        var clock = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            await engine.PublishAsync(batch);
        }

        await engine.DrainAsync();
        return clock.Elapsed;
    }

    private static async Task<(TimeSpan Activation, TimeSpan Run)> ClusterAsync(string redis, JourneyCatalog catalog, IReadOnlyList<IJourneyAction> actions, DateTimeOffset start,
        CustomerEvent[][] batches, int silos, int shards)
    {
        await using var cluster = new SampleCluster(redis, catalog, actions, new FakeTimeProvider(start), shards, FoldThreshold);
        for (var i = 0; i < silos; i++)
        {
            await cluster.StartSiloAsync();
        }

        await cluster.ConnectAsync();
        var clock = Stopwatch.StartNew();
        await cluster.Journeys.DrainAsync(); // activates every shard: their start is not what is measured
        var activation = clock.Elapsed;
        clock.Restart();
        foreach (var batch in batches)
        {
            await cluster.Journeys.PublishAsync(batch);
        }

        await cluster.Journeys.DrainAsync();
        return (activation, clock.Elapsed);
    }
}
