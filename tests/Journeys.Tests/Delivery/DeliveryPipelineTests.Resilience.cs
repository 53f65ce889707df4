using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Outbox;
using Journeys.Persistence;
using Journeys.State;
using Journeys.Tests.Runtime;
using Journeys.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Tests.Delivery;

/// <summary>The channel's resilience pipeline (Polly, built by the engine from <see cref="ChannelDeliveryOptions"/>):
/// jittered backoff, the receiver's Retry-After, the circuit breaker, the attempt timeout, and the stop token and drain
/// deadline reaching the channels. All in fake time: a test waits for the timer it expects, then moves the clock.</summary>
public sealed partial class DeliveryPipelineTests
{
    [Fact]
    public async Task Backoff_Jittered_EachWaitIsWithinItsBoundAndTheWaitsDiffer()
    {
        var channel = new TestChannel(_ => DeliveryResult.Retry("busy"));
        var random = new Random(17);
        var options = new ChannelDeliveryOptions
        {
            BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(20), MaxAttempts = 5, AttemptTimeout = null, CircuitBreaker = false,
            Randomizer = random.NextDouble,
        };
        await using var rig = new Rig(channel, options);
        var timers = rig.Clock.TimersCreated.Value;

        await rig.PublishAsync(1);
        var waits = new List<TimeSpan>();
        for (var retry = 0; retry < 4; retry++)
        {
            await channel.Calls.WhenAtLeast(retry + 1);
            await rig.Clock.TimersCreated.WhenAtLeast(timers + retry + 1); // the backoff waits on the engine's clock
            var wait = rig.Clock.LastDue;
            waits.Add(wait);
            rig.Clock.Advance(wait - Tick);
            Assert.Equal(retry + 1, channel.Calls.Value); // not a tick early
            rig.Clock.Advance(Tick);
        }

        await rig.DrainAsync();

        // Polly's decorrelated jitter: retry t (from 0) waits between 0 and BaseDelay × 2^(t+1) for t < 2, and
        // BaseDelay × (2^(t+1) − 2^(t−1)) after, never more than MaxDelay.
        for (var t = 0; t < waits.Count; t++)
        {
            var bound = TimeSpan.FromSeconds(Math.Min(20, t < 2 ? Math.Pow(2, t + 1) : Math.Pow(2, t + 1) - Math.Pow(2, t - 1)));
            Assert.InRange(waits[t], TimeSpan.FromTicks(1), bound);
        }

        Assert.Equal(waits.Count, waits.Distinct().Count());
        Assert.NotEqual([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8)], waits);
        var at = Sim.T;
        Assert.Equal([at, .. waits.Select(w => at += w)], channel.Attempts.Select(a => a.At));
        Assert.Equal("busy", Assert.Single(rig.Failed).Reason);
    }

    [Fact]
    public async Task Backoff_TwoMessagesFailingTogether_DoNotRetryTogether()
    {
        var channel = new TestChannel((_, attempt) => attempt == 1 ? DeliveryResult.Retry("busy") : DeliveryResult.Delivered);
        var options = new ChannelDeliveryOptions { BaseDelay = TimeSpan.FromSeconds(10), MaxConcurrency = 2, AttemptTimeout = null, Randomizer = new Random(3).NextDouble };
        await using var rig = new Rig(channel, options, partitions: 1);
        var timers = rig.Clock.TimersCreated.Value;

        await rig.Engine.PublishAsync([new CustomerEvent("a", "signed_up"), new CustomerEvent(StrandNeighbour("a", 2), "signed_up")]);
        await rig.Clock.TimersCreated.WhenAtLeast(timers + 2);

        var waits = rig.Clock.Dues.TakeLast(2).ToList();
        Assert.NotEqual(waits[0], waits[1]);
        rig.Clock.Advance(TimeSpan.FromSeconds(40));
        await rig.DrainAsync();
        Assert.Empty(rig.Failed);
    }

    [Fact]
    public async Task RetryAfter_FromTheReceiver_IsWaitedInsteadOfTheBackoff()
    {
        var channel = new TestChannel(attempt => attempt == 1 ? DeliveryResult.Retry("429", TimeSpan.FromSeconds(42)) : DeliveryResult.Delivered);
        await using var rig = new Rig(channel, new() { BaseDelay = TimeSpan.FromSeconds(1), AttemptTimeout = null });
        var timers = rig.Clock.TimersCreated.Value;

        await rig.PublishAsync(1);
        await rig.Clock.TimersCreated.WhenAtLeast(timers + 1);
        Assert.Equal(TimeSpan.FromSeconds(42), rig.Clock.LastDue);
        rig.Clock.Advance(TimeSpan.FromSeconds(42));
        await rig.DrainAsync();

        Assert.Equal([Sim.T, Sim.T.AddSeconds(42)], channel.Attempts.Select(a => a.At));
        Assert.Empty(rig.Failed);
    }

    [Fact]
    public async Task CircuitBreaker_AfterRepeatedFailures_FailsAtOnceWithoutCallingTheChannelThenLetsAProbeThroughAfterTheBreak()
    {
        var channel = new TestChannel((message, _) => message.CustomerId is "c0" or "c1" ? DeliveryResult.Retry("503") : DeliveryResult.Delivered);
        var options = new ChannelDeliveryOptions
        {
            MaxAttempts = 1, MaxConcurrency = 1, AttemptTimeout = null,
            CircuitBreakerMinimumThroughput = 2, CircuitBreakerFailureRatio = 1, CircuitBreakerBreakDuration = TimeSpan.FromSeconds(30),
        };
        await using var rig = new Rig(channel, options);

        await rig.PublishAsync(2); // c0, c1: two failures open the circuit
        await rig.DrainAsync();
        await rig.Engine.PublishAsync(new CustomerEvent("c2", "signed_up"));
        await rig.DrainAsync();

        Assert.Equal(2, channel.Calls.Value); // c2 never reached the channel
        Assert.Equal("circuit open after repeated failures; attempts resume in 00:00:30", rig.Failed.Single(f => f.CustomerId == "c2").Reason);

        rig.Clock.Advance(TimeSpan.FromSeconds(30));
        await rig.Engine.PublishAsync(new CustomerEvent("c3", "signed_up"));
        await rig.DrainAsync();

        Assert.Equal(3, channel.Calls.Value); // the probe went through, and was delivered
        Assert.Equal(["c0", "c1", "c2"], rig.Failed.Select(f => f.CustomerId).Order());
    }

    [Fact]
    public async Task CircuitBreaker_OpenWhileRetrying_TheRetryWaitsForTheBreakToEnd()
    {
        var channel = new TestChannel(attempt => attempt <= 2 ? DeliveryResult.Retry("503") : DeliveryResult.Delivered);
        var options = new ChannelDeliveryOptions
        {
            MaxAttempts = 4, MaxConcurrency = 1, BaseDelay = TimeSpan.Zero, AttemptTimeout = null,
            CircuitBreakerMinimumThroughput = 2, CircuitBreakerFailureRatio = 1, CircuitBreakerBreakDuration = TimeSpan.FromSeconds(30),
        };
        await using var rig = new Rig(channel, options);
        var timers = rig.Clock.TimersCreated.Value;

        // c0 fails twice (at once: no backoff), which opens the circuit; its third attempt is refused by the open circuit
        // without calling the channel, and the fourth waits for the break to end.
        await rig.PublishAsync(1);
        await rig.Clock.TimersCreated.WhenAtLeast(timers + 1);
        Assert.Equal(TimeSpan.FromSeconds(30), rig.Clock.LastDue);
        Assert.Equal(2, channel.Calls.Value);

        rig.Clock.Advance(TimeSpan.FromSeconds(30));
        await rig.DrainAsync();

        Assert.Equal(3, channel.Calls.Value); // the probe after the break, delivered
        Assert.Equal([Sim.T, Sim.T, Sim.T.AddSeconds(30)], channel.Attempts.Select(a => a.At));
        Assert.Empty(rig.Failed);
    }

    [Fact]
    public async Task AttemptTimeout_SlowAttempt_IsCancelledThroughItsTokenAndRetried()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var channel = new TestChannel(async (_, attempt, token) =>
        {
            if (attempt > 1)
            {
                return DeliveryResult.Delivered;
            }

            await Task.Delay(Timeout.Infinite, token);
            return DeliveryResult.Delivered;
        }) { OnCancelled = () => cancelled.TrySetResult() };
        await using var rig = new Rig(channel, new() { AttemptTimeout = TimeSpan.FromSeconds(5), BaseDelay = TimeSpan.Zero, MaxAttempts = 2 });
        var timers = rig.Clock.TimersCreated.Value;

        await rig.PublishAsync(1);
        await channel.Calls.WhenAtLeast(1);
        await rig.Clock.TimersCreated.WhenAtLeast(timers + 1);
        Assert.Equal(TimeSpan.FromSeconds(5), rig.Clock.LastDue);
        rig.Clock.Advance(TimeSpan.FromSeconds(5));
        await cancelled.Task.WaitAsync(EngineHarness.SafetyTimeout);
        await rig.DrainAsync();

        Assert.Equal(2, channel.Calls.Value);
        Assert.Empty(rig.Failed);
    }

    [Fact]
    public async Task AttemptTimeout_ChannelIgnoringItsToken_IsNoLongerWaitedForAndFailsSayingSo()
    {
        var never = new TaskCompletionSource<DeliveryResult>();
        var channel = new TestChannel(_ => never.Task);
        await using var rig = new Rig(channel, new() { AttemptTimeout = TimeSpan.FromSeconds(5), MaxAttempts = 1 });
        var timers = rig.Clock.TimersCreated.Value;

        await rig.PublishAsync(1);
        await channel.Calls.WhenAtLeast(1);
        await rig.Clock.TimersCreated.WhenAtLeast(timers + 1);
        rig.Clock.Advance(TimeSpan.FromSeconds(5));
        await rig.DrainAsync();

        Assert.Equal("timed out: no answer within 00:00:05", Assert.Single(rig.Failed).Reason);
    }

    [Fact]
    public async Task StopAsync_TokenCancelledWhileAChannelIsMidSend_TheChannelsTokenIsCancelledAndNothingFails()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var channel = new TestChannel(async (_, _, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return DeliveryResult.Delivered;
        }) { OnCancelled = () => cancelled.TrySetResult() };
        await using var rig = new Rig(channel, new() { AttemptTimeout = null }, drainTimeout: Timeout.InfiniteTimeSpan);

        await rig.PublishAsync(1);
        await channel.Calls.WhenAtLeast(1);
        using var hostGivesUp = new CancellationTokenSource();
        var stop = rig.Engine.StopAsync(hostGivesUp.Token);
        Assert.False(stop.IsCompleted);
        await hostGivesUp.CancelAsync();
        await stop.WaitAsync(EngineHarness.SafetyTimeout);

        await cancelled.Task.WaitAsync(EngineHarness.SafetyTimeout); // the channel saw its token cancelled (the stop did not wait for it to say so)
        Assert.Empty(rig.Failed);
        Assert.Empty(rig.Errors);
    }

    [Fact]
    public async Task StopAsync_DrainDeadlinePasses_ReturnsLeavingTheMessageInTheOutboxAndTheNextEngineDeliversItWithTheSameKey()
    {
        var store = new InMemoryJourneyStore();
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var channel = new TestChannel(async (_, _, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return DeliveryResult.Delivered;
        }) { OnCancelled = () => cancelled.TrySetResult() };
        var rig = new Rig(channel, new() { AttemptTimeout = null }, store: store, drainTimeout: TimeSpan.FromSeconds(10));
        await rig.PublishAsync(1);
        await channel.Calls.WhenAtLeast(1);
        var timers = rig.Clock.TimersCreated.Value;

        var stop = rig.Engine.StopAsync();
        await rig.Clock.TimersCreated.WhenAtLeast(timers + 1); // the deadline, on the engine's clock
        Assert.False(stop.IsCompleted);
        rig.Clock.Advance(TimeSpan.FromSeconds(10));
        await stop.WaitAsync(EngineHarness.SafetyTimeout);
        await rig.DisposeAsync();
        await cancelled.Task.WaitAsync(EngineHarness.SafetyTimeout); // the channel saw the deadline through its token

        var key = Assert.Single(channel.Attempts).Message.IdempotencyKey;
        Assert.Equal(key, Assert.Single(store.LoadOutbox()).IdempotencyKey);
        Assert.Empty(rig.Failed);

        var next = new RecordingChannel("push");
        await using (var engine = new JourneyEngineBuilder().UseCatalog(Sim.Load(Welcome)).AddChannel(next).UseStore(store)
                         .UseTimeProvider(new FakeTimeProvider(Sim.T)).Build().Start())
        {
            await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);
        }

        var again = Assert.Single(next.Messages);
        Assert.Equal((key, true), (again.IdempotencyKey, again.Redelivered));
        Assert.Empty(store.LoadOutbox());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Build_DrainTimeoutNotADeadline_NamesTheSetting(int seconds)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new JourneyEngineBuilder().UseCatalog(Sim.Load(Welcome))
            .AddChannel(new RecordingChannel("push")).WithDrainTimeout(TimeSpan.FromSeconds(seconds)).Build());

        Assert.Contains($"WithDrainTimeout: {TimeSpan.FromSeconds(seconds)} is not a deadline; use more than zero, or Timeout.InfiniteTimeSpan to wait for every delivery.",
            ex.Message, StringComparison.Ordinal);
    }

    /// <summary>A customer id whose messages take another strand than <paramref name="customer"/>'s.</summary>
    private static string StrandNeighbour(string customer, int strands) =>
        Enumerable.Range(0, 100).Select(i => $"n{i}").First(id => DeliveryPipeline.StrandOf(id, strands) != DeliveryPipeline.StrandOf(customer, strands));
}
