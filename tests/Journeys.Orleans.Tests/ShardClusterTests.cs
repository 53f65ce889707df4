using System.Globalization;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Interchange;
using Orleans.Runtime;

namespace Journeys.Orleans.Tests;

/// <summary>Journeys on a real Orleans cluster (in-process silos, Redis membership, grain storage and reminders), against the
/// single-process simulator on the same input.</summary>
public sealed class ShardClusterTests
{
    private static readonly DateTimeOffset Until = ClusterRun.Start.AddDays(130);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ThreeSilos_SameInputAsSimulator_SameDecisionsAndSends(int seed)
    {
        var inputs = Inputs.Make(seed, customers: 120);
        var (expected, expectedSends) = Simulate(inputs);

        await using var run = await ClusterRun.StartAsync(Catalogs.Sample, silos: 3);
        await run.RunAsync(inputs, Until);

        Assert.NotEmpty(expectedSends);
        Assert.Equal(expected, Lines(run.Decisions));
        Assert.Equal(expectedSends, run.Delivered.Select(m => m.IdempotencyKey).Order(StringComparer.Ordinal).ToList());
        Assert.True(run.Probes.Values.Count(p => p.DeliveredCount > 0) >= 2, "the shards ran on more than one silo");
    }

    [Fact]
    public async Task SiloKilledMidRun_NoDecidedSendLost_EachCustomerInOneShard_TimersStillFire()
    {
        var gapFrom = ClusterRun.Start.AddDays(40);
        var gapTo = gapFrom.AddDays(5);
        var inputs = Inputs.Make(seed: 7, customers: 150).Where(i => i.Timestamp < gapFrom || i.Timestamp >= gapTo).ToList();
        // Without the schedule journeys: an occurrence that falls while a shard is down is not made up (a documented limit).
        var catalog = Catalogs.SampleWithoutSchedules;
        var (_, expectedSends) = Simulate(inputs, catalog: catalog);
        var expectedAfterKill = Simulate(inputs, sendsFrom: gapFrom, catalog: catalog).Sends;

        await using var run = await ClusterRun.StartAsync(catalog, silos: 3, foldThreshold: 3); // shards fold, and reload snapshot plus changes
        var members = await run.MembershipInRedisAsync(); // the cluster's membership is Redis's, not the test host's
        Assert.Equal(run.Cluster.Silos.Select(s => s.Name).Order(StringComparer.Ordinal), members.Keys.Order(StringComparer.Ordinal));
        Assert.All(members.Values, status => Assert.Equal(SiloStatus.Active, status));
        SiloProbe? victim = null;
        List<OutboundMessage> held = [];
        await run.RunAsync(inputs, Until, pauseAt: gapFrom, between: async () =>
        {
            // The victim hosts shards; its channel stops answering, so the sends its shards decide from here are saved in
            // their outbox and never delivered; virtual time moves on (timers fire), then the silo dies.
            var silo = run.BusiestSiloButFirst();
            victim = run.Probes[silo.Name];
            victim.Holding = true;
            run.Time.Advance(gapTo - gapFrom);
            await victim.FirstHeld.Task.WaitAsync(TimeSpan.FromSeconds(60));
            held = [.. victim.Held];
            await run.KillAsync(silo);

            // The survivors declared it dead in the Redis membership table, and carry on as the two active silos.
            var after = await run.MembershipInRedisAsync();
            Assert.Equal(SiloStatus.Dead, after[silo.Name]);
            Assert.Equal(2, after.Values.Count(status => status == SiloStatus.Active));
        });

        var delivered = run.Delivered.Select(m => m.IdempotencyKey).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(held);
        Assert.All(held, m => Assert.Contains(m.IdempotencyKey, delivered)); // delivered by the shard's next activation
        Assert.Contains(run.Delivered, m => m.Redelivered && held.Any(h => h.IdempotencyKey == m.IdempotencyKey));
        Assert.Equal(expectedSends, delivered.Order(StringComparer.Ordinal).ToList()); // none lost, none made up
        Assert.NotEmpty(expectedAfterKill); // timers and inputs after the kill decided sends, all delivered (above)

        var owners = new Dictionary<string, int>(StringComparer.Ordinal);
        var folded = 0;
        for (var shard = 0; shard < ClusterRun.Shards; shard++)
        {
            var stored = await run.Cluster.Client.GetGrain<IJourneyShardGrain>(shard).StoredCustomersAsync();
            folded += stored.Snapshot.Length > 0 ? 1 : 0;
            foreach (var id in stored.Snapshot.Union(stored.Changes, StringComparer.Ordinal))
            {
                Assert.True(owners.TryAdd(id, shard), $"{id} is stored in shards {owners.GetValueOrDefault(id)} and {shard}");
                Assert.Equal(CustomerPartitions.PartitionOf(id, ClusterRun.Shards), shard);
            }
        }

        Assert.True(folded > 0, "no shard folded its changes into a snapshot");
        Assert.Equal(inputs.Select(i => i.CustomerId).Distinct().Order(StringComparer.Ordinal), owners.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SiloAddedMidRun_TakesOverShards_RunContinuesWithTheSameDecisions()
    {
        var inputs = Inputs.Make(seed: 11, customers: 120);
        var (expected, expectedSends) = Simulate(inputs);

        await using var run = await ClusterRun.StartAsync(Catalogs.Sample, silos: 2);
        string? added = null;
        await run.RunAsync(inputs, Until, pauseAt: ClusterRun.Start.AddDays(50), between: async () =>
        {
            var silo = await run.Cluster.StartAdditionalSiloAsync();
            await run.Cluster.WaitForLivenessToStabilizeAsync();
            added = silo.Name;
            Assert.Equal(SiloStatus.Active, (await run.MembershipInRedisAsync())[silo.Name]); // it joined through Redis
            for (var shard = 0; shard < ClusterRun.Shards; shard += 2)
            {
                await run.Cluster.MigrateAsync(run.Cluster.Client.GetGrain<IJourneyShardGrain>(shard), silo.SiloAddress);
            }

            var moved = 0;
            for (var shard = 0; shard < ClusterRun.Shards; shard++)
            {
                moved += await run.Cluster.Client.GetGrain<IJourneyShardGrain>(shard).SiloAsync() == silo.SiloAddress ? 1 : 0;
            }

            Assert.True(moved > 0, "no shard moved to the added silo");
        });

        Assert.True(run.Probes[added!].DeliveredCount > 0, "the added silo delivered nothing");

        // Drained, with nothing in any outbox: a shard holds its wake-up reminder exactly when it has a timer pending.
        var withTimers = 0;
        for (var shard = 0; shard < ClusterRun.Shards; shard++)
        {
            var grain = run.Cluster.Client.GetGrain<IJourneyShardGrain>(shard);
            var due = await grain.NextTimerDueAsync();
            withTimers += due is null ? 0 : 1;
            Assert.Equal(due is not null, await grain.HasWakeReminderAsync());
        }

        Assert.True(withTimers > 0, "no shard has a timer pending (yearly birthdays should)");
        Assert.Equal(expected, Lines(run.Decisions));

        // At least once across a move: a message in flight when its shard moved is delivered again by the new activation,
        // with the same key and marked redelivered (docs/scale-out.md); each key the simulator sent is delivered.
        var delivered = run.Delivered.ToList();
        Assert.Equal(expectedSends, delivered.Select(m => m.IdempotencyKey).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList());
        Assert.All(delivered.GroupBy(m => m.IdempotencyKey, StringComparer.Ordinal).Where(g => g.Count() > 1),
            again => Assert.Contains(again, m => m.Redelivered));
    }

    private static (List<string> Decisions, List<string> Sends) Simulate(IReadOnlyList<SegmentInput> inputs, DateTimeOffset? sendsFrom = null,
        Journeys.Language.Loading.JourneyCatalog? catalog = null)
    {
        var channel = new RecordingChannel();
        var decisions = new Simulator(catalog ?? Catalogs.Sample, channel, Catalogs.SampleActions).Run(inputs, Until);
        var sends = channel.Messages.Where(m => sendsFrom is null || m.Timestamp >= sendsFrom).Select(m => m.IdempotencyKey).Order(StringComparer.Ordinal).ToList();
        return (Lines(decisions), sends);
    }

    /// <summary>Each decision as a line, in (time, customer, line) order: the sequence numbers are per partition, so the
    /// order within one customer's instant is the text's.</summary>
    private static List<string> Lines(IEnumerable<JourneyDecision> decisions) => decisions
        .Select(d => string.Join(' ', d.Timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), d.CustomerId, d.JourneyId, d.Version,
            d.KindName, d.Step, d.Channel, d.Template, d.From, d.Tier, d.Reason))
        .Order(StringComparer.Ordinal).ToList();
}
