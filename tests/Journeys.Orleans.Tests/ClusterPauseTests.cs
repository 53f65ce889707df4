using Journeys.Decisions;
using Journeys.Language.Loading;
using Journeys.State;

namespace Journeys.Orleans.Tests;

/// <summary>Pausing a journey through the cluster (<see cref="IJourneyCluster.PauseJourneyAsync"/>): every shard stops
/// entering it, keeps the pause in its state across deactivation, and enters it again once resumed.</summary>
public sealed class ClusterPauseTests
{
    [Fact]
    public async Task PauseJourney_EveryShardRefusesEntries_KeptAcrossReactivation_ResumeLetsThemIn()
    {
        var catalog = JourneyLoader.LoadYaml(("nudge.yaml", ShardReminderTests.Nudge)).ThrowIfInvalid();
        await using var run = await ClusterRun.StartAsync(catalog, silos: 2);
        var t0 = run.Time.GetUtcNow();
        var customers = Enumerable.Range(0, 48).Select(i => $"p{i}").ToList();
        Assert.True(customers.Select(run.Journeys.ShardOf).Distinct().Count() > ClusterRun.Shards / 2, "the customers span the shards");
        List<CustomerEvent> SignUps() => [.. customers.Select(c => new CustomerEvent(c, "signed_up", t0))];

        Assert.True(await run.Journeys.PauseJourneyAsync("nudge"));
        Assert.False(await run.Journeys.PauseJourneyAsync("nudge")); // every shard has it paused already
        await run.Journeys.PublishAsync(SignUps());
        await run.Journeys.DrainAsync();
        Assert.DoesNotContain(run.Decisions, d => d.Kind == DecisionKind.Entered);

        // Every shard stops and starts again: the pause was saved in its state.
        for (var shard = 0; shard < ClusterRun.Shards; shard++)
        {
            await run.Cluster.DeactivateAsync(run.Cluster.Client.GetGrain<IJourneyShardGrain>(shard));
        }

        await run.Journeys.PublishAsync(SignUps());
        await run.Journeys.DrainAsync();
        Assert.DoesNotContain(run.Decisions, d => d.Kind == DecisionKind.Entered);

        Assert.True(await run.Journeys.ResumeJourneyAsync("nudge"));
        await run.Journeys.PublishAsync(SignUps());
        await run.Journeys.DrainAsync();
        var entered = run.Decisions.Where(d => d.Kind == DecisionKind.Entered).Select(d => d.CustomerId).Order(StringComparer.Ordinal);
        Assert.Equal(customers.Order(StringComparer.Ordinal), entered);

        await Assert.ThrowsAsync<ArgumentException>(() => run.Journeys.PauseJourneyAsync("no-such-journey"));
    }
}
