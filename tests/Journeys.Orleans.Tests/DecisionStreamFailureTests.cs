using System.Collections.Concurrent;
using Journeys.Decisions;
using Journeys.Engine;
using Orleans.Runtime;
using Orleans.Streams;

namespace Journeys.Orleans.Tests;

/// <summary>What the decision stream promises when it fails (docs/scale-out.md, Delivery): at most once. A batch the stream
/// provider refuses is dropped and the shard's next batches still go, in order; a silo that dies while its shards'
/// batches wait to be published loses them, nothing is published twice, and the shards publish everything they decide
/// after the crash from their new silos, on the same streams.</summary>
public sealed class DecisionStreamFailureTests
{
    private const string Provider = "journeys-decisions";

    [Fact]
    public async Task StreamRefusesBatches_TheyAreDropped_EveryOtherBatchArrives_InPerCustomerOrder()
    {
        var inputs = Inputs.Make(seed: 9, customers: 60);
        await using var run = await ClusterRun.StartAsync(Catalogs.Sample, silos: 2, decisionStream: Provider);
        foreach (var probe in run.Probes.Values)
        {
            probe.RefuseEveryNthBatch = 3; // the provider throws on every third batch a silo's shards hand it
        }

        var subscriber = await Subscriber.StartAsync(run);
        await run.RunAsync(inputs, ClusterRun.Start.AddDays(60));

        // The engine is untouched by the refusals: the sink has every committed decision; the stream lost exactly the
        // refused batches' decisions and carried every other one.
        var refused = run.Probes.Values.SelectMany(p => p.StreamRefused).SelectMany(b => b).ToList();
        Assert.NotEmpty(refused);
        var committed = Records(run.Decisions);
        Assert.True(committed.Count > refused.Count, "every batch was refused");
        await subscriber.WaitForAsync(committed.Count - refused.Count);

        var want = DecisionStreamTests.PerCustomer(committed);
        foreach (var record in refused)
        {
            Assert.True(want[record.CustomerId].Remove(DecisionStreamTests.Line(record)), "a refused decision was not committed");
        }

        var got = DecisionStreamTests.PerCustomer(subscriber.Received);
        foreach (var (customer, lines) in want.Where(w => w.Value.Count > 0))
        {
            Assert.Equal(lines, got[customer]); // the rest, each customer's in commit order
        }

        Assert.Equal(committed.Count - refused.Count, subscriber.Received.Count);
        Assert.NotEmpty(run.Delivered); // sends do not depend on the stream
        await subscriber.DisposeAsync();
    }

    [Fact]
    public async Task SiloCrashesWhileStreaming_ItsWaitingBatchesAreLost_NothingTwice_LaterDecisionsAllArrive()
    {
        var gapFrom = ClusterRun.Start.AddDays(40);
        var gapTo = gapFrom.AddDays(5);
        var until = ClusterRun.Start.AddDays(100);
        var inputs = Inputs.Make(seed: 7, customers: 120).Where(i => i.Timestamp < gapFrom || i.Timestamp >= gapTo).ToList();
        var catalog = Catalogs.SampleWithoutSchedules;
        await using var run = await ClusterRun.StartAsync(catalog, silos: 3, decisionStream: Provider);
        var subscriber = await Subscriber.StartAsync(run);
        SiloProbe? victim = null;
        await run.RunAsync(inputs, until, pauseAt: gapFrom, between: async () =>
        {
            // Every silo's stream but the first's takes a batch and never answers; their shards go on deciding (timers fire
            // for five days), their batches queue behind it. The victim is a silo whose stream did hold a batch (where shards
            // land is Orleans' choice: a silo may have had nothing to decide in the gap); the others' streams are released,
            // their batches published late, in order; then the victim dies with its batches.
            var candidates = run.Cluster.Silos.Skip(1).ToList();
            foreach (var candidate in candidates)
            {
                run.Probes[candidate.Name].StreamHolding = true;
            }

            run.Time.Advance(gapTo - gapFrom);
            await Task.WhenAny(candidates.Select(c => run.Probes[c.Name].FirstStreamHeld.Task)).WaitAsync(TimeSpan.FromSeconds(60));
            var silo = candidates.Where(c => run.Probes[c.Name].FirstStreamHeld.Task.IsCompleted).MaxBy(c => run.Probes[c.Name].StreamHeld.Count)!;
            victim = run.Probes[silo.Name];
            foreach (var other in candidates.Where(c => c != silo))
            {
                await run.Probes[other.Name].ReleaseStreamAsync();
            }

            await run.KillAsync(silo);
        });

        // Everything decided after the crash (by the shards' new activations on the two live silos) arrives, each
        // customer's in order, on the shards' same streams and the same subscriptions.
        var committed = Records(run.Decisions);
        var after = committed.Where(r => r.Timestamp > gapTo).ToList();
        Assert.NotEmpty(after);
        await subscriber.WaitForAsync(after.Count, r => r.Timestamp > gapTo);
        var gotAfter = DecisionStreamTests.PerCustomer(subscriber.Received.Where(r => r.Timestamp > gapTo));
        foreach (var (customer, lines) in DecisionStreamTests.PerCustomer(after))
        {
            Assert.Equal(lines, gotAfter[customer]);
        }

        // The batch the dead silo's stream held (committed: the sink had it) never arrives, nor is it made again by the
        // shard's next activation (its state was saved): at most once.
        var held = victim!.StreamHeld.SelectMany(b => b).Select(DecisionStreamTests.Line).ToList();
        Assert.NotEmpty(held);
        var committedLines = committed.Select(DecisionStreamTests.Line).ToList();
        Assert.All(held, line => Assert.Single(committedLines, l => l == line));
        var receivedLines = subscriber.Received.Select(DecisionStreamTests.Line).ToList();
        Assert.All(held, line => Assert.DoesNotContain(line, receivedLines));

        // Nothing arrives twice, and nothing arrives that was not committed.
        var committedCounts = committedLines.CountBy(l => l).ToDictionary(StringComparer.Ordinal);
        foreach (var (line, count) in receivedLines.CountBy(l => l))
        {
            Assert.True(committedCounts.GetValueOrDefault(line) >= count, $"received {count} times, committed {committedCounts.GetValueOrDefault(line)}: {line}");
        }

        Assert.True(receivedLines.Count < committedLines.Count, "the crash lost no decision: the held batch was received");
        await subscriber.DisposeAsync();
    }

    private static List<DecisionRecord> Records(IEnumerable<JourneyDecision> decisions) => decisions
        .Select(d => DecisionRecord.FromDecision(CustomerPartitions.PartitionOf(d.CustomerId, ClusterRun.Shards), d))
        .ToList();

    /// <summary>A cluster client subscribed to every shard's decision stream.</summary>
    private sealed class Subscriber : IAsyncDisposable
    {
        private readonly List<StreamSubscriptionHandle<DecisionRecord>> _handles = [];
        private readonly SemaphoreSlim _arrived = new(0);

        public ConcurrentQueue<DecisionRecord> Received { get; } = new();

        public static async Task<Subscriber> StartAsync(ClusterRun run)
        {
            var subscriber = new Subscriber();
            var streams = run.Cluster.Client.GetStreamProvider(Provider);
            for (var shard = 0; shard < ClusterRun.Shards; shard++)
            {
                var stream = streams.GetStream<DecisionRecord>(StreamId.Create("journeys-decisions", shard));
                subscriber._handles.Add(await stream.SubscribeAsync((record, _) =>
                {
                    subscriber.Received.Enqueue(record);
                    subscriber._arrived.Release();
                    return Task.CompletedTask;
                }));
            }

            return subscriber;
        }

        /// <summary>Waits until <paramref name="count"/> received decisions match (the memory stream's pulling agents
        /// deliver on Orleans' clock); fails when a minute passes with none arriving.</summary>
        public async Task WaitForAsync(int count, Func<DecisionRecord, bool>? match = null)
        {
            while (Received.Count(match ?? (_ => true)) < count)
            {
                Assert.True(await _arrived.WaitAsync(TimeSpan.FromSeconds(60)),
                    $"{Received.Count(match ?? (_ => true))} of {count} decisions arrived; no more for a minute");
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var handle in _handles)
            {
                await handle.UnsubscribeAsync();
            }
        }
    }
}
