using Journeys.Decisions;
using Journeys.Language.Loading;
using Journeys.State;

namespace Journeys.Orleans.Tests;

/// <summary>A schedule occurrence that fell due while every shard was deactivated (a silo restart, as far as the shards'
/// state goes): each shard's state keeps its engine's committed clock, so the shard's next activation makes the
/// occurrence up once — and a further deactivation and activation does not make it up again.</summary>
public sealed class ClusterScheduleMakeUpTests
{
    private const string Daily = """
        journey: daily
        entry:
          schedule: { every: day, at: "10:00" }
        start: wait
        steps:
          wait:
            then: [ { after: 1h, goto: end } ]
        """;

    [Fact]
    public async Task ShardsStoppedPastAnOccurrence_EachCustomerEnteredOnceWhenTheirShardStartsAgain()
    {
        var catalog = JourneyLoader.LoadYaml(("daily.yaml", Daily)).ThrowIfInvalid();
        await using var run = await ClusterRun.StartAsync(catalog, silos: 1);
        var customers = Enumerable.Range(0, 24).Select(i => $"m{i}").ToList();
        Assert.True(customers.Select(run.Journeys.ShardOf).Distinct().Count() > 1, "the customers span shards");
        foreach (var customer in customers)
        {
            await run.Journeys.IdentifyAsync(new CustomerProfile(customer, null, "UTC"));
        }

        await run.Journeys.DrainAsync(); // 5 January 00:00Z: every shard committed its clock before 10:00
        await DeactivateAllAsync(run);
        Assert.DoesNotContain(run.Decisions, d => d.Kind == DecisionKind.Entered);

        run.Time.SetUtcNow(ClusterRun.Start.AddHours(12)); // 10:00Z came while no shard ran
        await run.Journeys.DrainAsync(); // activates every shard: each makes the occurrence up at its start
        await DeactivateAllAsync(run);
        await run.Journeys.DrainAsync(); // started again at the same time: nothing more to make up

        var entered = run.Decisions.Where(d => d.Kind == DecisionKind.Entered).ToList();
        Assert.Equal(customers.Order(StringComparer.Ordinal), entered.Select(d => d.CustomerId).Order(StringComparer.Ordinal));
        Assert.All(entered, d =>
        {
            Assert.Equal(ClusterRun.Start.AddHours(12), d.Timestamp);
            Assert.StartsWith("schedule 2026-01-05T10:00:00", d.Reason, StringComparison.Ordinal);
        });
    }

    private static async Task DeactivateAllAsync(ClusterRun run)
    {
        for (var shard = 0; shard < ClusterRun.Shards; shard++)
        {
            await run.Cluster.DeactivateAsync(run.Cluster.Client.GetGrain<IJourneyShardGrain>(shard));
        }
    }
}
