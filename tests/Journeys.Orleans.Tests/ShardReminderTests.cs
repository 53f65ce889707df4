using Journeys.Decisions;
using Journeys.Language.Loading;
using Journeys.State;

namespace Journeys.Orleans.Tests;

/// <summary>A deactivated shard is woken by its reminder alone: nothing calls it, the reminder (on Redis, on Orleans' real
/// clock, in one-second steps here) activates it, and its engine fires the timer that fell due meanwhile and sends.</summary>
public sealed class ShardReminderTests
{
    internal const string Nudge = """
        journey: nudge
        version: 1
        entry: { on: signed_up }
        start: wait
        steps:
          wait:
            then: [ { after: 1m, goto: nudge } ]
          nudge:
            send: { channel: push, template: nudge/hi }
        """;

    [Fact]
    public async Task DeactivatedShard_TimerFallsDue_ReminderWakesItAndItSends()
    {
        var catalog = JourneyLoader.LoadYaml(("nudge.yaml", Nudge)).ThrowIfInvalid();
        await using var run = await ClusterRun.StartAsync(catalog, silos: 1, reminderGranularity: TimeSpan.FromSeconds(1));
        var t0 = run.Time.GetUtcNow();
        await run.Journeys.PublishAsync(new CustomerEvent("c1", "signed_up", t0));
        await run.Journeys.DrainAsync();
        var shard = run.Cluster.Client.GetGrain<IJourneyShardGrain>(run.Journeys.ShardOf("c1"));
        Assert.Equal(t0.AddMinutes(1), await shard.NextTimerDueAsync());

        // A second before the timer, the shard is deactivated (its engine stops, the reminder is set one second out);
        // then the virtual minute ends while nothing runs the shard.
        run.Time.Advance(TimeSpan.FromSeconds(59));
        await run.Cluster.DeactivateAsync(shard);
        run.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(run.Delivered);

        var sent = await run.FirstDelivered.Task.WaitAsync(TimeSpan.FromSeconds(60)); // no call to the shard: the reminder
        Assert.Equal("nudge:1:c1:1:nudge:0", sent.IdempotencyKey);
        Assert.False(sent.Redelivered); // decided by the woken activation, not left in an outbox
        var moved = Assert.Single(run.Decisions, d => d.Kind == DecisionKind.Moved);
        Assert.Equal(("nudge", t0.AddMinutes(1)), (moved.Step, moved.Timestamp)); // fired at its own due time
    }
}

/// <summary>The cluster query: a customer's state read through <see cref="IJourneyCluster"/> from the shard that owns them.</summary>
public sealed class ClusterInspectTests
{
    [Fact]
    public async Task InspectCustomer_ThroughTheCluster_ReturnsTheShardsViewOrNull()
    {
        var catalog = JourneyLoader.LoadYaml(("nudge.yaml", ShardReminderTests.Nudge)).ThrowIfInvalid();
        await using var run = await ClusterRun.StartAsync(catalog, silos: 2);
        var t0 = run.Time.GetUtcNow();
        await run.Journeys.IdentifyAsync(new CustomerProfile("c1", new Dictionary<string, object?> { ["plan"] = "pro", ["spend"] = 12.5 }, "Asia/Shanghai"));
        await run.Journeys.PublishAsync(new CustomerEvent("c1", "signed_up", t0));

        var view = await run.Journeys.InspectCustomerAsync("c1"); // in order with what was published before: no drain needed
        Assert.NotNull(view);
        Assert.Equal(("c1", "Asia/Shanghai"), (view.Id, view.TimeZone));
        Assert.Equal("pro", view.Traits["plan"]);
        Assert.Equal(12.5, view.Traits["spend"]);
        var journeyRun = Assert.Single(view.Runs);
        Assert.Equal(("nudge", 1, "wait", t0), (journeyRun.Journey, journeyRun.Version, journeyRun.Step, journeyRun.ArrivedAt));
        var timer = Assert.Single(view.Timers);
        Assert.Equal((t0.AddMinutes(1), "nudge", "wait"), (timer.DueAt, timer.Journey, timer.Step));
        Assert.Null(await run.Journeys.InspectCustomerAsync("nobody"));
    }
}
