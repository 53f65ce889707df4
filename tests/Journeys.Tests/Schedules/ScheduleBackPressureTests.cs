using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.State;
using Microsoft.Extensions.Time.Testing;
using static Journeys.Tests.Runtime.Sim;

namespace Journeys.Tests.Schedules;

/// <summary>A schedule occurrence sends to every customer of a zone at once: a burst that fills the delivery lane, so the
/// partition waits to hand over and its queue fills behind it. A host running in virtual time moves the clock from the
/// same loop that publishes (the sample does), so that loop is then held by back-pressure: a delivery that waits on the
/// fake clock (here a retry's backoff after one failed attempt; in the sample an attempt timed out by a clock jump)
/// waits for a clock nobody moves, and everything stops — no error, no thread busy. With the deliveries on a clock of
/// their own (<see cref="JourneyEngineBuilder.UseDeliveryTimeProvider"/>) the lane drains and the run completes.</summary>
public sealed class ScheduleBackPressureTests
{
    private const int Customers = 100;
    private const int EventsAfterTheOccurrence = 300; // far more than the partition's queue and one batch hold

    /// <summary>A wall-clock guard only: a deadlock fails the test instead of hanging the run.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ScheduleBurst_LaneFullAndARetryWaiting_HostMovingAFakeClockFromItsPublishLoop_Completes()
    {
        var time = new FakeTimeProvider(T);
        var channel = new FailsFirstAttemptChannel("email");
        var errors = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        var sent = 0;
        var failed = 0;
        var engine = new JourneyEngineBuilder()
            .UseCatalog(Load(ScheduleEntryTests.Journey("weekly", "{ every: week, on: mon, at: \"10:00\" }")))
            .AddChannel(channel, new ChannelDeliveryOptions
            {
                QueueCapacity = 1, // the burst fills the lane at once
                MaxConcurrency = 1,
                BaseDelay = TimeSpan.FromMilliseconds(5),
                MaxDelay = TimeSpan.FromMilliseconds(5),
            })
            .UseTimeProvider(time)
            .UseDeliveryTimeProvider(TimeProvider.System) // the fix: without it this run never completes
            .WithPartitions(1)
            .WithQueueCapacity(JourneyEngineOptions.MinQueueCapacity)
            .OnError(errors.Add)
            .Build();
        using var subscription = engine.Decisions.Subscribe(d =>
        {
            if (d.Kind == DecisionKind.Sent)
            {
                Interlocked.Increment(ref sent);
            }
            else if (d.Kind == DecisionKind.Failed)
            {
                Interlocked.Increment(ref failed);
            }
        });
        engine.Start();

        // The host's loop, as the sample's: move the clock to each input's time, then publish it; nothing else moves time.
        var occurrence = T.AddDays(7); // Monday 12 January, 10:00 UTC (T itself is strictly before the first)
        var run = Task.Run(async () =>
        {
            for (var i = 0; i < Customers; i++)
            {
                await engine.IdentifyAsync(new CustomerProfile($"c{i}"));
            }

            await engine.DrainAsync();
            time.SetUtcNow(occurrence); // the occurrence's timer: a burst of 100 sends into a lane that holds one
            for (var i = 0; i < EventsAfterTheOccurrence; i++)
            {
                await engine.PublishAsync(new CustomerEvent($"c{i % Customers}", "page_view", occurrence));
            }

            time.SetUtcNow(occurrence.AddHours(1));
            await engine.DrainAsync();
        });

        await run.WaitAsync(Guard);
        await engine.StopAsync().WaitAsync(Guard);

        Assert.Empty(errors);
        Assert.Equal(Customers, Volatile.Read(ref sent));
        Assert.Equal(0, Volatile.Read(ref failed));
        Assert.Equal(Customers + 1, channel.Attempts); // the first message's failed attempt, then one each
        Assert.Equal(Customers, channel.Delivered.Distinct().Count());
    }

    /// <summary>Fails the first attempt it sees with a retryable failure (so the lane waits for a backoff), then delivers.</summary>
    private sealed class FailsFirstAttemptChannel(string name) : IChannel
    {
        private int _attempts;

        public string Name { get; } = name;

        public int Attempts => Volatile.Read(ref _attempts);

        public System.Collections.Concurrent.ConcurrentQueue<string> Delivered { get; } = new();

        public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _attempts) == 1)
            {
                return ValueTask.FromResult(DeliveryResult.Retry("busy, try again"));
            }

            Delivered.Enqueue(message.CustomerId);
            return ValueTask.FromResult(DeliveryResult.Delivered);
        }
    }
}
