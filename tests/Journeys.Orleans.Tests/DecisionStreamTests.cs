using System.Collections.Concurrent;
using System.Globalization;
using Journeys.Delivery;
using Journeys.Engine;
using Orleans.Runtime;
using Orleans.Streams;

namespace Journeys.Orleans.Tests;

/// <summary>Decisions leave through Orleans streams (<see cref="JourneysSiloOptions.DecisionStreamProvider"/>): a client
/// subscribed to every shard's stream receives exactly the simulator's decisions, each customer's in the order made.</summary>
public sealed class DecisionStreamTests
{
    private const string Provider = "journeys-decisions";

    [Fact]
    public async Task ClientSubscribedToShardStreams_ReceivesTheSimulatorsDecisions_InPerCustomerOrder()
    {
        var until = ClusterRun.Start.AddDays(130);
        var inputs = Inputs.Make(seed: 5, customers: 80);
        var expected = new Simulator(Catalogs.Sample, new RecordingChannel(), Catalogs.SampleActions).Run(inputs, until) // (time, customer, sequence)
            .Select(d => DecisionRecord.FromDecision(CustomerPartitions.PartitionOf(d.CustomerId, ClusterRun.Shards), d))
            .ToList();
        Assert.NotEmpty(expected);

        await using var run = await ClusterRun.StartAsync(Catalogs.Sample, silos: 2, decisionStream: Provider);
        var received = new ConcurrentQueue<(int Stream, DecisionRecord Record)>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var streams = run.Cluster.Client.GetStreamProvider(Provider);
        var handles = new List<StreamSubscriptionHandle<DecisionRecord>>();
        for (var shard = 0; shard < ClusterRun.Shards; shard++)
        {
            var key = shard;
            var stream = streams.GetStream<DecisionRecord>(StreamId.Create("journeys-decisions", key));
            handles.Add(await stream.SubscribeAsync((record, _) =>
            {
                received.Enqueue((key, record));
                if (received.Count >= expected.Count)
                {
                    all.TrySetResult();
                }

                return Task.CompletedTask;
            }));
        }

        await run.RunAsync(inputs, until);
        await all.Task.WaitAsync(TimeSpan.FromSeconds(60)); // the memory stream's pulling agents deliver on Orleans' clock

        // The sink saw the same decisions the streams carried; the streams carried no more.
        Assert.Equal(run.Decisions.Count, received.Count);
        Assert.Equal(expected.Count, received.Count);
        Assert.All(received, r => Assert.Equal(r.Stream, r.Record.Shard));
        Assert.All(received, r => Assert.Equal(CustomerPartitions.PartitionOf(r.Record.CustomerId, ClusterRun.Shards), r.Record.Shard));

        // Per customer, the received sequence is the simulator's, in order (sequence numbers are per partition: left out).
        var want = PerCustomer(expected);
        var got = PerCustomer(received.Select(r => r.Record));
        Assert.Equal(want.Keys.Order(StringComparer.Ordinal), got.Keys.Order(StringComparer.Ordinal));
        foreach (var (customer, lines) in want)
        {
            Assert.Equal(lines, got[customer]);
        }

        Assert.Contains(received, r => r.Record.Kind == "sent" && r.Record.Channel is not null && r.Record.Category is not null);
        foreach (var handle in handles)
        {
            await handle.UnsubscribeAsync();
        }
    }

    internal static Dictionary<string, List<string>> PerCustomer(IEnumerable<DecisionRecord> records) => records
        .GroupBy(r => r.CustomerId, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Select(Line).ToList(), StringComparer.Ordinal);

    internal static string Line(DecisionRecord r) => string.Join(' ', r.Timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        r.CustomerId, r.JourneyId, r.Version, r.Kind, r.Step, r.Channel, r.Template, r.Category, r.From, r.Tier, r.Reason, r.Case);
}
