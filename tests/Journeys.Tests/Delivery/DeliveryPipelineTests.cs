using System.Collections.Concurrent;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Outbox;
using Journeys.State;
using Journeys.Tests.Runtime;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Tests.Delivery;

/// <summary>The delivery pipeline between the partitions and the channels, through a real engine on fake time: retries
/// and their backoff, dead letters as <c>failed</c>, per-channel concurrency and rate, back-pressure up to
/// <c>PublishAsync</c>, drain and stop. Nothing sleeps: tests wait on what the channel or the clock saw.</summary>
public sealed partial class DeliveryPipelineTests
{
    private const string Welcome = """
        journey: welcome
        entry: { on: signed_up }
        start: hello
        steps:
          hello:
            send: { channel: push, template: welcome/hello }
        """;

    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    [Fact]
    public async Task Retryable_TwiceThenDelivered_DeliversOnceWithTheSameKeyAndNoFailure()
    {
        var channel = new TestChannel(attempt => attempt < 3 ? DeliveryResult.Retry("503") : DeliveryResult.Delivered);
        await using var rig = new Rig(channel, new() { BaseDelay = TimeSpan.Zero });

        await rig.PublishAsync(1);
        await rig.DrainAsync();

        Assert.Equal(3, channel.Attempts.Count);
        Assert.Single(channel.Attempts.Select(a => a.Message.IdempotencyKey).Distinct());
        Assert.Equal(1, channel.Attempts.Count(a => a.Result.Status == DeliveryStatus.Delivered));
        Assert.Empty(rig.Failed);
    }

    [Fact]
    public async Task Retryable_Always_EndsInOneFailedDecisionWithTheLastReasonAfterMaxAttempts()
    {
        var channel = new TestChannel(attempt => DeliveryResult.Retry($"503 on attempt {attempt}"));
        await using var rig = new Rig(channel, new() { BaseDelay = TimeSpan.Zero, MaxAttempts = 4 });

        await rig.PublishAsync(1);
        await rig.DrainAsync();

        Assert.Equal(4, channel.Attempts.Count);
        var failed = Assert.Single(rig.Failed);
        Assert.Equal(("c0", "hello", "push", "503 on attempt 4"), (failed.CustomerId, failed.Step, failed.Channel, failed.Reason));
    }

    [Fact]
    public async Task Throwing_Always_IsRetriedThenFailsWithTheExceptionMessage()
    {
        var channel = new TestChannel(DeliveryResult (_) => throw new HttpRequestException("connection refused"));
        await using var rig = new Rig(channel, new() { BaseDelay = TimeSpan.Zero, MaxAttempts = 2 });

        await rig.PublishAsync(1);
        await rig.DrainAsync();

        Assert.Equal(2, channel.Attempts.Count);
        Assert.Equal("connection refused", Assert.Single(rig.Failed).Reason);
        Assert.Empty(rig.Errors);
    }

    [Fact]
    public async Task Permanent_FailsAtOnceAfterOneAttempt()
    {
        var channel = new TestChannel(_ => DeliveryResult.Permanent("no such device"));
        await using var rig = new Rig(channel, new() { BaseDelay = TimeSpan.Zero, MaxAttempts = 5 });

        await rig.PublishAsync(1);
        await rig.DrainAsync();

        Assert.Single(channel.Attempts);
        Assert.Equal("no such device", Assert.Single(rig.Failed).Reason);
    }

    [Fact]
    public async Task Concurrency_PerChannel_IsNeverExceeded()
    {
        var gate = new TaskCompletionSource<DeliveryResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var channel = new TestChannel(_ => gate.Task);
        await using var rig = new Rig(channel, new() { MaxConcurrency = 3 });

        await rig.PublishAsync(10);
        await channel.Calls.WhenAtLeast(3);
        Assert.Equal(3, channel.InFlight);
        gate.SetResult(DeliveryResult.Delivered);
        await rig.DrainAsync();

        Assert.Equal(3, channel.MaxInFlight);
        Assert.Equal(10, channel.Attempts.Select(a => a.Message.CustomerId).Distinct().Count());
    }

    [Fact]
    public async Task RateLimit_TwoPermitsPerSecond_StartsAtMostTwoSendsPerFakeSecond()
    {
        var channel = new TestChannel(_ => DeliveryResult.Delivered);
        await using var rig = new Rig(channel, new() { PermitsPerSecond = 2, MaxConcurrency = 4 });

        await rig.PublishAsync(5);
        await channel.Calls.WhenAtLeast(2);
        Assert.Equal(2, channel.Calls.Value);
        rig.Clock.Advance(TimeSpan.FromSeconds(1));
        await channel.Calls.WhenAtLeast(4);
        rig.Clock.Advance(TimeSpan.FromSeconds(1));
        await rig.DrainAsync();

        Assert.Equal(
            [(Sim.T, 2), (Sim.T.AddSeconds(1), 2), (Sim.T.AddSeconds(2), 1)],
            channel.Attempts.GroupBy(a => a.At).OrderBy(g => g.Key).Select(g => (g.Key, g.Count())));
    }

    [Fact]
    public async Task BackPressure_BlockedChannel_StallsPublishAsyncWithBoundedQueuesUntilReleased()
    {
        // One partition queueing 16 events, a lane of 1: the channel holds message 1, the lane message 2, the worker
        // waits to queue message 3, the partition queue holds events 4-19, and the 20th publisher waits.
        // Events are counted one at a time here (a batch of 1): by default the worker takes the events queued behind one
        // off the queue together (see the next test).
        var gate = new TaskCompletionSource<DeliveryResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var channel = new TestChannel(_ => gate.Task);
        await using var rig = new Rig(channel, new() { MaxConcurrency = 1, QueueCapacity = 1 }, partitions: 1, queueCapacity: 16, eventBatch: 1);

        var publishes = Enumerable.Range(0, 30).Select(i => rig.Engine.PublishAsync(new CustomerEvent($"c{i}", "signed_up")).AsTask()).ToList();
        await channel.Calls.WhenAtLeast(1);
        await Task.WhenAll(publishes[..19]).WaitAsync(EngineHarness.SafetyTimeout);

        Assert.All(publishes[19..], p => Assert.False(p.IsCompleted));
        Assert.Equal(1, rig.Engine.Delivery.QueueDepth);
        Assert.Equal(1, channel.Calls.Value);

        gate.SetResult(DeliveryResult.Delivered);
        await Task.WhenAll(publishes).WaitAsync(EngineHarness.SafetyTimeout);
        await rig.DrainAsync();
        Assert.Equal(30, channel.Attempts.Select(a => a.Message.IdempotencyKey).Distinct().Count());
        Assert.Empty(rig.Failed);
    }

    [Fact]
    public async Task BackPressure_BlockedChannelWithEventBatches_StallsPublishersOnceTheQueueAndOneBatchAreFull()
    {
        // By default a worker takes up to Partition.MaxEventBatch queued events at once: a stalled worker holds one batch
        // beyond its queue, and no more. The queue is full only while the worker waits; the publishers beyond wait too.
        var gate = new TaskCompletionSource<DeliveryResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var channel = new TestChannel(_ => gate.Task);
        await using var rig = new Rig(channel, new() { MaxConcurrency = 1, QueueCapacity = 1 }, partitions: 1, queueCapacity: 16);
        const int bound = 16 + Journeys.Engine.Partition.MaxEventBatch + 3; // queue, one batch, and the 3 messages in the lane

        var publishes = Enumerable.Range(0, 200).Select(i => rig.Engine.PublishAsync(new CustomerEvent($"c{i}", "signed_up")).AsTask()).ToList();
        await channel.Calls.WhenAtLeast(1);
        Assert.True(SpinWait.SpinUntil(() => rig.Engine.QueueDepth() == 16, EngineHarness.SafetyTimeout), "the partition queue never filled");

        Assert.InRange(publishes.Count(p => p.IsCompleted), 16, bound);
        Assert.All(publishes[bound..], p => Assert.False(p.IsCompleted));
        Assert.Equal(1, channel.Calls.Value);

        gate.SetResult(DeliveryResult.Delivered);
        await Task.WhenAll(publishes).WaitAsync(EngineHarness.SafetyTimeout);
        await rig.DrainAsync();
        Assert.Equal(200, channel.Attempts.Select(a => a.Message.IdempotencyKey).Distinct().Count());
        Assert.Empty(rig.Failed);
    }

    [Fact]
    public async Task StopAsync_MidFlight_DeliversEverythingQueuedBeforeTheStop()
    {
        var gate = new TaskCompletionSource<DeliveryResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var channel = new TestChannel(_ => gate.Task);
        var rig = new Rig(channel, new() { MaxConcurrency = 1, QueueCapacity = 4 }, partitions: 2);

        await rig.PublishAsync(12);
        await channel.Calls.WhenAtLeast(1);
        var stop = rig.Engine.StopAsync();
        Assert.False(stop.IsCompleted);
        gate.SetResult(DeliveryResult.Delivered);
        await stop.WaitAsync(EngineHarness.SafetyTimeout);

        Assert.Equal(12, channel.Attempts.Select(a => a.Message.IdempotencyKey).Distinct().Count());
        Assert.Equal(12, channel.Attempts.Count);
        Assert.Empty(rig.Failed);
        await rig.DisposeAsync();
    }

    [Fact]
    public async Task DrainAsync_WaitsForARetryStillInBackoff()
    {
        var channel = new TestChannel(attempt => attempt == 1 ? DeliveryResult.Retry("429") : DeliveryResult.Delivered);
        await using var rig = new Rig(channel, new() { BaseDelay = TimeSpan.FromSeconds(30), AttemptTimeout = null });
        var timers = rig.Clock.TimersCreated.Value;

        await rig.PublishAsync(1);
        await channel.Calls.WhenAtLeast(1);
        await rig.Clock.TimersCreated.WhenAtLeast(timers + 1);
        var drain = rig.Engine.DrainAsync();

        Assert.False(drain.IsCompleted);
        rig.Clock.Advance(rig.Clock.LastDue); // the jittered backoff
        await drain.WaitAsync(EngineHarness.SafetyTimeout);

        Assert.Equal(2, channel.Attempts.Count); // counted when the drain returned: it waited for the retry
        Assert.Empty(rig.Failed);
    }

    /// <summary>One push per <c>ping</c>, every time: a customer pinged n times gets n messages, in that order.</summary>
    private const string Pings = """
        journey: pings
        entry: { on: ping }
        reentry: always
        start: hello
        steps:
          hello:
            send: { channel: push, template: welcome/hello }
        """;

    /// <summary>The n-th ping of the test (property <c>n</c>, which its message carries).</summary>
    private static CustomerEvent Ping(string customer, int n) => new(customer, "ping", properties: new Dictionary<string, object?> { ["n"] = n });

    private static int Order(OutboundMessage message) => Convert.ToInt32(message.EventProperties["n"], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Order_ARetryWaitingOnTheClock_HoldsBackItsCustomersNextMessageButNotOtherCustomers()
    {
        const int Strands = 4;
        var ids = Enumerable.Range(0, 100).Select(i => $"c{i}").ToList();
        var a = ids[0];
        var b = ids.First(id => DeliveryPipeline.StrandOf(id, Strands) != DeliveryPipeline.StrandOf(a, Strands));
        var channel = new TestChannel((message, attempt) =>
            message.CustomerId == a && Order(message) == 1 && attempt == 1 ? DeliveryResult.Retry("busy", TimeSpan.FromMinutes(1)) : DeliveryResult.Delivered);
        await using var rig = new Rig(channel, new() { MaxConcurrency = Strands, MaxDelay = TimeSpan.FromMinutes(5), AttemptTimeout = null }, journey: Pings);
        var timers = rig.Clock.TimersCreated.Value;

        await rig.Engine.PublishAsync([Ping(a, 1), Ping(a, 2), Ping(b, 3)]);
        await channel.Calls.WhenAtLeast(2);                          // a's first attempt, and b's message
        await rig.Clock.TimersCreated.WhenAtLeast(timers + 1);       // a's retry waits a minute on the clock
        Assert.Equal([(a, 1), (b, 3)], channel.Attempts.Select(x => (x.Message.CustomerId, Order(x.Message))).Order());
        rig.Clock.Advance(TimeSpan.FromMinutes(1));
        await rig.DrainAsync();

        Assert.Equal([1, 1, 2], channel.Attempts.Where(x => x.Message.CustomerId == a).Select(x => Order(x.Message)));
        Assert.Equal([Sim.T, Sim.T.AddMinutes(1), Sim.T.AddMinutes(1)], channel.Attempts.Where(x => x.Message.CustomerId == a).Select(x => x.At));
        Assert.Empty(rig.Failed);
    }

    [Property(MaxTest = 25)]
    public Property Order_AnyConcurrencyAndFailures_EachCustomersMessagesAreSentInTheOrderDecided() =>
        Prop.ForAll(Arb.From(Gen.Choose(1, int.MaxValue - 1)), seed =>
        {
            var random = new Random(seed);
            var concurrency = random.Next(1, 6);
            var customers = Enumerable.Range(0, random.Next(1, 7)).Select(i => $"c{i}").ToArray();
            var pings = Enumerable.Range(1, random.Next(1, 40)).Select(n => Ping(customers[random.Next(customers.Length)], n)).ToList();
            var failFirst = Enumerable.Range(1, pings.Count).Where(_ => random.Next(3) == 0).ToHashSet();
            var channel = new TestChannel(async (message, attempt) =>
            {
                await Task.Yield(); // let the other strands run meanwhile
                return attempt == 1 && failFirst.Contains(Order(message)) ? DeliveryResult.Retry("flaky") : DeliveryResult.Delivered;
            });
            // No circuit breaker: its breaks would wait on a clock this test never moves.
            var rig = new Rig(channel, new() { MaxConcurrency = concurrency, BaseDelay = TimeSpan.Zero, MaxAttempts = 2, CircuitBreaker = false }, journey: Pings);
            try
            {
                rig.Engine.PublishAsync(pings).AsTask().GetAwaiter().GetResult();
                rig.DrainAsync().GetAwaiter().GetResult();
            }
            finally
            {
                rig.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            var attempts = channel.Attempts;
            Assert.Equal(pings.Count + failFirst.Count, attempts.Count);
            foreach (var customer in customers)
            {
                var sent = attempts.Where(x => x.Message.CustomerId == customer).Select(x => Order(x.Message)).ToList();
                Assert.Equal(sent.Order(), sent); // a retry comes before the customer's next message, never after
            }
        });

    [Fact]
    public void Build_WrongDeliveryOptions_NamesEveryWrongProperty()
    {
        var options = new ChannelDeliveryOptions
        {
            MaxConcurrency = 0, QueueCapacity = 0, MaxAttempts = 0, BaseDelay = TimeSpan.FromSeconds(-1), MaxDelay = TimeSpan.FromSeconds(-2),
            PermitsPerSecond = 0, AttemptTimeout = TimeSpan.Zero, CircuitBreakerFailureRatio = 1.5, CircuitBreakerMinimumThroughput = 1,
            CircuitBreakerSamplingDuration = TimeSpan.FromMilliseconds(1), CircuitBreakerBreakDuration = TimeSpan.FromDays(2),
        };

        var ex = Assert.Throws<InvalidOperationException>(() =>
            new JourneyEngineBuilder().UseCatalog(Sim.Load(Welcome)).AddChannel(new RecordingChannel("push"), options).Build());

        Assert.Equal(
        [
            "The journey engine is not configured correctly:",
            "AddChannel('push'): ChannelDeliveryOptions.MaxConcurrency is 0; use 1 or more.",
            "AddChannel('push'): ChannelDeliveryOptions.QueueCapacity is 0; use 1 or more.",
            "AddChannel('push'): ChannelDeliveryOptions.MaxAttempts is 0; use 1 or more (1 means no retries).",
            "AddChannel('push'): ChannelDeliveryOptions.BaseDelay is -00:00:01; use zero to 1.00:00:00.",
            "AddChannel('push'): ChannelDeliveryOptions.MaxDelay is -00:00:02; use at least BaseDelay (-00:00:01).",
            "AddChannel('push'): ChannelDeliveryOptions.PermitsPerSecond is 0; use 1 or more, or null for no limit.",
            "AddChannel('push'): ChannelDeliveryOptions.AttemptTimeout is 00:00:00; use 00:00:00.0100000 to 1.00:00:00, or null for no limit.",
            "AddChannel('push'): ChannelDeliveryOptions.CircuitBreakerFailureRatio is 1.5; use above 0 and at most 1.",
            "AddChannel('push'): ChannelDeliveryOptions.CircuitBreakerMinimumThroughput is 1; use 2 or more.",
            "AddChannel('push'): ChannelDeliveryOptions.CircuitBreakerSamplingDuration is 00:00:00.0010000; use 00:00:00.5000000 to 1.00:00:00.",
            "AddChannel('push'): ChannelDeliveryOptions.CircuitBreakerBreakDuration is 2.00:00:00; use 00:00:00.5000000 to 1.00:00:00.",
        ], ex.Message.Split(Environment.NewLine));
    }

    /// <summary>An engine running <see cref="Welcome"/> (one <c>push</c> per sign-up) on a <see cref="WatchedClock"/>.</summary>
    private sealed class Rig : IAsyncDisposable
    {
        private readonly ConcurrentQueue<JourneyDecision> _decisions = new();
        private readonly IDisposable _subscription;

        public Rig(IChannel channel, ChannelDeliveryOptions options, int partitions = 2, int queueCapacity = 1024, int? eventBatch = null, string journey = Welcome,
            Journeys.Persistence.IJourneyStore? store = null, TimeSpan? drainTimeout = null)
        {
            var builder = new JourneyEngineBuilder()
                .UseCatalog(Sim.Load(journey))
                .AddChannel(channel, options)
                .UseTimeProvider(Clock)
                .WithPartitions(partitions)
                .WithQueueCapacity(queueCapacity)
                .OnError(Errors.Add);
            if (store is not null)
            {
                builder.UseStore(store);
            }

            if (drainTimeout is { } drain)
            {
                builder.WithDrainTimeout(drain);
            }

            Engine = builder.Build();
            if (eventBatch is { } batch)
            {
                Engine.EventBatchSize = batch;
            }

            _subscription = Engine.Decisions.Subscribe(_decisions.Enqueue);
            if (channel is TestChannel test)
            {
                test.Clock = Clock;
            }

            Engine.Start();
        }

        public WatchedClock Clock { get; } = new(Sim.T);

        public JourneyEngine Engine { get; }

        public ConcurrentBag<Exception> Errors { get; } = [];

        public List<JourneyDecision> Failed => _decisions.Where(d => d.Kind == DecisionKind.Failed).ToList();

        /// <summary>Signs up customers c0, c1, ...: one message each.</summary>
        public async Task PublishAsync(int customers)
        {
            for (var i = 0; i < customers; i++)
            {
                await Engine.PublishAsync(new CustomerEvent($"c{i}", "signed_up"));
            }
        }

        public Task DrainAsync() => Engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);

        public async ValueTask DisposeAsync()
        {
            await Engine.StopAsync().WaitAsync(EngineHarness.SafetyTimeout);
            _subscription.Dispose();
        }
    }

    /// <summary>A channel answering each attempt through a script given the attempt's number for that message (and the
    /// attempt's token); it records every attempt with the fake time it started at, and how many ran at once.</summary>
    private sealed class TestChannel(Func<OutboundMessage, int, CancellationToken, Task<DeliveryResult>> answer) : IChannel
    {
        private readonly ConcurrentDictionary<string, int> _attemptsByKey = new();
        private readonly ConcurrentQueue<(OutboundMessage Message, DateTimeOffset At, DeliveryResult Result)> _attempts = new();
        private int _inFlight;
        private int _maxInFlight;

        public TestChannel(Func<OutboundMessage, int, Task<DeliveryResult>> answer)
            : this((message, attempt, _) => answer(message, attempt))
        {
        }

        public TestChannel(Func<int, DeliveryResult> answer)
            : this((_, attempt) => Task.FromResult(answer(attempt)))
        {
        }

        public TestChannel(Func<int, Task<DeliveryResult>> answer)
            : this((_, attempt) => answer(attempt))
        {
        }

        public TestChannel(Func<OutboundMessage, int, DeliveryResult> answer)
            : this((message, attempt) => Task.FromResult(answer(message, attempt)))
        {
        }

        /// <summary>Called when an attempt ends because its token was cancelled (a timeout or a stop).</summary>
        public Action? OnCancelled { get; init; }

        /// <summary>Set by the rig to its fake clock.</summary>
        public TimeProvider Clock { get; set; } = TimeProvider.System;

        public string Name => "push";

        public Counter Calls { get; } = new();

        public int InFlight => Volatile.Read(ref _inFlight);

        public int MaxInFlight => Volatile.Read(ref _maxInFlight);

        public List<(OutboundMessage Message, DateTimeOffset At, DeliveryResult Result)> Attempts => [.. _attempts];

        public async ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
        {
            var at = Clock.GetUtcNow();
            var inFlight = Interlocked.Increment(ref _inFlight);
            InterlockedMax(ref _maxInFlight, inFlight);
            var attempt = _attemptsByKey.AddOrUpdate(message.IdempotencyKey, 1, (_, n) => n + 1);
            DeliveryResult result = default;
            Calls.Increment();
            try
            {
                result = await answer(message, attempt, cancellationToken);
                return result;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                OnCancelled?.Invoke();
                throw;
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
                _attempts.Enqueue((message, at, result));
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int current;
            while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
            {
            }
        }
    }

    /// <summary>A count a test can wait on (with the safety timeout) instead of sleeping.</summary>
    private sealed class Counter
    {
        private readonly List<(int Target, TaskCompletionSource Reached)> _waiters = [];
        private int _value;

        public int Value => Volatile.Read(ref _value);

        public void Increment()
        {
            lock (_waiters)
            {
                _value++;
                foreach (var waiter in _waiters.Where(w => w.Target <= _value).ToList())
                {
                    waiter.Reached.TrySetResult();
                    _waiters.Remove(waiter);
                }
            }
        }

        public Task WhenAtLeast(int target)
        {
            lock (_waiters)
            {
                if (_value >= target)
                {
                    return Task.CompletedTask;
                }

                var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add((target, reached));
                return reached.Task.WaitAsync(EngineHarness.SafetyTimeout);
            }
        }
    }

    /// <summary>A fake clock that counts the timers started on it and keeps their due times: a retry's backoff is one,
    /// an attempt timeout another, so a test knows the pipeline waits on the clock (and for how long) before it moves
    /// the clock. A timer counts as started when it is created or changed with a finite due time (a
    /// <see cref="CancellationTokenSource"/> may create its timer idle, then set it).</summary>
    private sealed class WatchedClock(DateTimeOffset start) : FakeTimeProvider(start)
    {
        private readonly ConcurrentQueue<TimeSpan> _dues = new();

        public Counter TimersCreated { get; } = new();

        /// <summary>The due time of every timer started, in order.</summary>
        public List<TimeSpan> Dues => [.. _dues];

        public TimeSpan LastDue => Dues[^1];

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = new Journeys.Tests.Support.ReportingTimer(base.CreateTimer(callback, state, dueTime, period), Started);
            Started(dueTime);
            return timer;
        }

        private void Started(TimeSpan dueTime)
        {
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                _dues.Enqueue(dueTime);
                TimersCreated.Increment();
            }
        }
    }
}
