using System.Reactive.Subjects;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.State;
using Microsoft.Extensions.Time.Testing;
using static Journeys.Tests.Runtime.Sim;

namespace Journeys.Tests.Runtime;

/// <summary>The public engine: lifecycle, fake time through <see cref="TimeProvider"/>, delivery outcomes, observables.</summary>
public sealed class JourneyEngineTests
{
    private static readonly string[] NurtureTimeline = SpecJourneys.ReminderPath;

    [Fact]
    public async Task Timer_MonthsAway_FiresOnItsOwnAfterThePlatformTimerWokeEarlyOnce()
    {
        // A platform timer waits at most about 49.7 days: the partition arms it that far, and when it fires with nothing
        // due, arms it again for the same journey timer. The move must come from the timer alone (no drain after it).
        var time = new FakeTimeProvider(T);
        await using var engine = new JourneyEngineBuilder().UseCatalog(Load(SpecJourneys.MonthsAwayTimer)).AddChannel(new RecordingChannel())
            .UseTimeProvider(time).WithPartitions(1).Build().Start();
        var moved = new TaskCompletionSource<JourneyDecision>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = engine.Decisions.Subscribe(d =>
        {
            if (d.Kind == DecisionKind.Moved)
            {
                moved.TrySetResult(d);
            }
        });

        await engine.PublishAsync(new CustomerEvent("c1", "joined"));
        await engine.DrainAsync();
        time.Advance(TimeSpan.FromDays(50)); // the timer wakes early: nothing is due yet
        await engine.DrainAsync();           // its tick has been applied and the timer armed again
        Assert.False(moved.Task.IsCompleted);

        time.Advance(TimeSpan.FromDays(71));

        var decision = await moved.Task.WaitAsync(EngineHarness.SafetyTimeout);
        Assert.Equal(("later", T.AddDays(120)), (decision.Step, decision.Timestamp));
    }

    [Fact]
    public void Publish_BeforeStart_Throws()
    {
        var engine = new JourneyEngineBuilder().UseCatalog(Load(SpecJourneys.Nurture)).AddChannel(new RecordingChannel()).Build();

        var ex = Assert.Throws<InvalidOperationException>(() => engine.Publish(new CustomerEvent("c1", "signed_up")));

        Assert.Equal("Start the engine before publishing.", ex.Message);
    }

    [Fact]
    public async Task Publish_AfterStop_Throws()
    {
        var harness = new EngineHarness(SpecJourneys.Nurture);
        await harness.DisposeAsync();

        var ex = Assert.Throws<InvalidOperationException>(() => harness.Engine.Publish(new CustomerEvent("c1", "signed_up")));

        Assert.Equal("The engine was stopped.", ex.Message);
    }

    [Fact]
    public async Task Start_AfterStop_Throws()
    {
        var harness = new EngineHarness(SpecJourneys.Nurture);
        await harness.DisposeAsync();

        Assert.Throws<InvalidOperationException>(() => harness.Engine.Start());
    }

    [Fact]
    public async Task Identify_UnknownTimeZone_ThrowsArgumentException()
    {
        await using var harness = new EngineHarness(SpecJourneys.Nurture);

        var ex = Assert.Throws<ArgumentException>(() => harness.Engine.Identify(new CustomerProfile("c1", TimeZone: "Mars/Olympus")));

        Assert.StartsWith("'Mars/Olympus' is not a known IANA time zone id", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_SignUp_DecidesAtTheFakeClocksTime()
    {
        await using var harness = new EngineHarness(SpecJourneys.Nurture);

        harness.Engine.Publish(new CustomerEvent("c1", "signed_up"));
        await harness.DrainAsync();

        Assert.Equal(NurtureTimeline[..2], harness.Lines());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task PublishBatch_SignUps_DecidesAtTheFakeClocksTimeLikeOneByOne(int partitions)
    {
        await using var harness = new EngineHarness(SpecJourneys.Nurture, partitions);
        var ids = Enumerable.Range(0, 150).Select(i => $"c{i}").ToList(); // more than one chunk per partition

        harness.Engine.Publish(ids.Select(id => new CustomerEvent(id, "signed_up")).ToList());
        await harness.DrainAsync();

        Assert.Empty(harness.Errors);
        var byCustomer = harness.Decisions.GroupBy(d => d.CustomerId).ToDictionary(g => g.Key, g => Lines(g));
        Assert.Equal(ids.Order(StringComparer.Ordinal), byCustomer.Keys.Order(StringComparer.Ordinal));
        Assert.All(byCustomer, kv => Assert.Equal(NurtureTimeline[..2].Select(l => l.Replace(" c1 ", $" {kv.Key} ", StringComparison.Ordinal)), kv.Value));
    }

    [Fact]
    public async Task PublishBatch_WithANullEvent_ThrowsAndPublishesNothing()
    {
        await using var harness = new EngineHarness(SpecJourneys.Nurture);

        var ex = Assert.Throws<ArgumentNullException>(() => harness.Engine.Publish([new CustomerEvent("c1", "signed_up"), null!]));
        await harness.DrainAsync();

        Assert.Contains("Event 1 of the batch is null", ex.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Decisions);
    }

    [Fact]
    public async Task Advance_StepByStep_FiresEachTimerAtItsDueTimeAndNotBefore()
    {
        await using var harness = new EngineHarness(SpecJourneys.Nurture);
        harness.Engine.Publish(new CustomerEvent("c1", "signed_up"));
        await harness.DrainAsync();

        await harness.AdvanceAsync(TimeSpan.FromDays(7) - TimeSpan.FromTicks(1));
        var beforeDue = harness.Lines();
        await harness.AdvanceAsync(TimeSpan.FromTicks(1));
        var atDue = harness.Lines();

        Assert.Equal(NurtureTimeline[..2], beforeDue);
        Assert.Equal(NurtureTimeline[..4], atDue);
    }

    [Fact]
    public async Task Advance_120DaysInOneCall_FiresEveryTimerAtItsOwnDueTime()
    {
        await using var harness = new EngineHarness(SpecJourneys.Nurture);
        harness.Engine.Publish(new CustomerEvent("c1", "signed_up"));
        await harness.DrainAsync();

        await harness.AdvanceAsync(TimeSpan.FromDays(120));

        Assert.Equal(NurtureTimeline, harness.Lines());
    }

    [Fact]
    public async Task Advance_ADayAtATime_GivesTheSameTimelineAsTheSimulator()
    {
        await using var harness = new EngineHarness(SpecJourneys.Nurture);
        harness.Engine.Publish(new CustomerEvent("c1", "signed_up"));
        await harness.DrainAsync();

        for (var day = 0; day < 120; day++)
        {
            await harness.AdvanceAsync(TimeSpan.FromDays(1));
        }

        Assert.Equal(NurtureTimeline, harness.Lines());
    }

    [Fact]
    public async Task Drain_RequestedWhileTheEventIsBeingApplied_StillLeavesTheStepTimerArmed()
    {
        // The channel holds the worker inside the first send until the drain barrier is queued behind the event.
        var channel = new GateChannel();
        await using var harness = new EngineHarness(SpecJourneys.Nurture, partitions: 1, channel: channel);
        harness.Engine.Publish(new CustomerEvent("c1", "signed_up"));
        Assert.True(channel.Entered.Wait(EngineHarness.SafetyTimeout));
        var drain = harness.DrainAsync();
        channel.Release.Set();
        await drain;

        await harness.AdvanceAsync(TimeSpan.FromDays(7));

        Assert.Equal(NurtureTimeline[..4], harness.Lines());
    }

    [Fact]
    public async Task Exit_PublishedWhileWaiting_CancelsThePendingTimer()
    {
        await using var harness = new EngineHarness(SpecJourneys.Nurture);
        harness.Engine.Publish(new CustomerEvent("c1", "signed_up"));
        await harness.AdvanceAsync(TimeSpan.FromDays(3));
        harness.Engine.Publish(new CustomerEvent("c1", "unsubscribed"));
        await harness.DrainAsync();

        await harness.AdvanceAsync(TimeSpan.FromDays(120));

        Assert.Equal(
        [
            "2026-01-05T10:00:00Z c1 entered guide (on signed_up)",
            "2026-01-05T10:00:00Z c1 sent guide push:nurture/guide",
            "2026-01-08T10:00:00Z c1 exited guide (exit:unsubscribed)",
        ], harness.Lines());
    }

    [Fact]
    public async Task Identify_ThenSignUp_AppliesTheTraitBeforeTheEntryGuard()
    {
        await using var harness = new EngineHarness(SpecJourneys.Nurture);

        harness.Engine.Identify(new CustomerProfile("c1", new Dictionary<string, object?> { ["country"] = "test" }));
        harness.Engine.Publish(new CustomerEvent("c1", "signed_up"));
        await harness.DrainAsync();

        Assert.Empty(harness.Lines());
    }

    [Fact]
    public async Task Channel_ReturningPermanentFailure_YieldsAFailedDecisionAfterTheSend()
    {
        await using var harness = new EngineHarness(SpecJourneys.Nurture, channel: new FailingChannel(DeliveryResult.Permanent("device token revoked")));
        harness.Engine.Publish(new CustomerEvent("c1", "signed_up"));
        await harness.DrainAsync();

        Assert.Equal(
        [
            "2026-01-05T10:00:00Z c1 entered guide (on signed_up)",
            "2026-01-05T10:00:00Z c1 sent guide push:nurture/guide",
            "2026-01-05T10:00:00Z c1 failed guide push:nurture/guide (device token revoked)",
        ], harness.Lines());
        Assert.Equal(DecisionKind.Failed, harness.Decisions[^1].Kind);
        Assert.Equal("new-customer-nurture", harness.Decisions[^1].JourneyId);
        Assert.Equal(1, harness.Decisions[^1].Version);
    }

    [Fact]
    public async Task Channel_CompletingLaterWithPermanentFailure_YieldsAFailedDecisionByDrainTime()
    {
        await using var harness = new EngineHarness(SpecJourneys.Nurture, channel: new FailingChannel(DeliveryResult.Permanent("bounced"), yieldFirst: true));
        harness.Engine.Publish(new CustomerEvent("c1", "signed_up"));
        await harness.DrainAsync();

        Assert.Equal("2026-01-05T10:00:00Z c1 failed guide push:nurture/guide (bounced)", harness.Lines()[^1]);
    }

    [Fact]
    public async Task Channel_Throwing_YieldsAFailedDecisionWithTheExceptionMessage()
    {
        // Throwing counts as retryable: no backoff here, so the retries need no clock (DeliveryPipelineTests time them).
        await using var harness = new EngineHarness(SpecJourneys.Nurture, channel: new FailingChannel(null), delivery: new() { BaseDelay = TimeSpan.Zero });
        harness.Engine.Publish(new CustomerEvent("c1", "signed_up"));
        await harness.DrainAsync();

        Assert.Equal("2026-01-05T10:00:00Z c1 failed guide push:nurture/guide (provider unreachable)", harness.Lines()[^1]);
        Assert.Empty(harness.Errors);
    }

    [Fact]
    public async Task Channel_Delivered_ReceivesTheMessageWithAStableIdempotencyKey()
    {
        var channel = new RecordingChannel();
        await using var harness = new EngineHarness(SpecJourneys.Nurture, channel: channel);
        harness.Engine.Publish(new CustomerEvent("c1", "signed_up"));
        await harness.DrainAsync();

        var message = Assert.Single(channel.Messages);
        Assert.Equal("new-customer-nurture:1:c1:1:guide:0", message.IdempotencyKey);
        Assert.Equal(("push", "nurture/guide", "c1", "guide", T), (message.Channel, message.Template, message.CustomerId, message.Step, message.Timestamp));
    }

    [Fact]
    public async Task Subscribe_ObservableOfEvents_PublishesEachEvent()
    {
        await using var harness = new EngineHarness(SpecJourneys.Nurture);
        var events = new Subject<CustomerEvent>();
        using var subscription = harness.Engine.Subscribe(events);

        events.OnNext(new CustomerEvent("c1", "signed_up"));
        events.OnNext(new CustomerEvent("c2", "signed_up"));
        events.OnNext(new CustomerEvent("c1", "unsubscribed"));
        events.OnCompleted();
        await harness.DrainAsync();

        Assert.Equal(
        [
            "2026-01-05T10:00:00Z c1 entered guide (on signed_up)",
            "2026-01-05T10:00:00Z c1 sent guide push:nurture/guide",
            "2026-01-05T10:00:00Z c1 exited guide (exit:unsubscribed)",
            "2026-01-05T10:00:00Z c2 entered guide (on signed_up)",
            "2026-01-05T10:00:00Z c2 sent guide push:nurture/guide",
        ], Lines(harness.Decisions.OrderBy(d => d.CustomerId, StringComparer.Ordinal)));
    }

    [Fact]
    public async Task Subscribe_SourceFails_ReportsTheErrorAndKeepsRunning()
    {
        await using var harness = new EngineHarness(SpecJourneys.Nurture);
        var events = new Subject<CustomerEvent>();
        using var subscription = harness.Engine.Subscribe(events);

        events.OnError(new InvalidOperationException("broker gone"));
        harness.Engine.Publish(new CustomerEvent("c1", "signed_up"));
        await harness.DrainAsync();

        Assert.Equal("broker gone", Assert.Single(harness.Errors).Message);
        Assert.Equal(2, harness.Lines().Count);
    }

    [Fact]
    public async Task StopAsync_AppliesEverythingQueuedAndCompletesTheDecisions()
    {
        var harness = new EngineHarness(SpecJourneys.Nurture, partitions: 4);
        var completed = new TaskCompletionSource();
        using var watch = harness.Engine.Decisions.Subscribe(_ => { }, () => completed.TrySetResult());
        for (var i = 0; i < 500; i++)
        {
            harness.Engine.Publish(new CustomerEvent($"c{i}", "signed_up"));
        }

        await harness.DisposeAsync();
        await completed.Task.WaitAsync(EngineHarness.SafetyTimeout);

        Assert.Equal(1_000, harness.Decisions.Count);
    }

    [Fact]
    public async Task StopAsync_DeliveriesStillInFlight_ReportsEveryFailureBeforeCompleting()
    {
        var harness = new EngineHarness(SpecJourneys.Nurture, partitions: 4, channel: new FailingChannel(DeliveryResult.Permanent("bounced"), yieldFirst: true));
        for (var i = 0; i < 200; i++)
        {
            harness.Engine.Publish(new CustomerEvent($"c{i}", "signed_up"));
        }

        await harness.DisposeAsync();

        var failed = harness.Decisions.Where(d => d.Kind == DecisionKind.Failed).ToList();
        Assert.Equal(200, failed.Count);
        Assert.All(failed, d => Assert.Equal(("guide", "bounced", T), (d.Step, d.Reason, d.Timestamp)));
    }

    [Fact]
    public async Task DrainAsync_NothingPublished_Completes()
    {
        await using var harness = new EngineHarness(SpecJourneys.Nurture, partitions: 4);

        await harness.DrainAsync();

        Assert.Empty(harness.Decisions);
    }

    [Fact]
    public async Task StopAsync_CalledTwice_CompletesBothTimes()
    {
        var harness = new EngineHarness(SpecJourneys.Nurture);

        await harness.Engine.StopAsync().WaitAsync(EngineHarness.SafetyTimeout);
        await harness.Engine.StopAsync().WaitAsync(EngineHarness.SafetyTimeout);

        Assert.Empty(harness.Decisions);
    }

    [Fact]
    public async Task Publish_EventWithOwnTimestamp_CountsActivityAtThatTimestamp()
    {
        // The app_open happened 20 days after sign-up; the engine learns of it then, so tips (day 28) sees it.
        await using var harness = new EngineHarness(SpecJourneys.Nurture);
        harness.Engine.Publish(new CustomerEvent("c1", "signed_up"));
        await harness.AdvanceAsync(TimeSpan.FromDays(20));
        harness.Engine.Publish(new CustomerEvent("c1", "app_open", T.AddDays(20)));
        await harness.DrainAsync();

        await harness.AdvanceAsync(TimeSpan.FromDays(100));

        Assert.Equal("2026-03-04T10:00:00Z c1 moved survey from tips (after 30d)", harness.Lines()[5]);
    }

    /// <summary>Fails every send: with <paramref name="result"/>, or by throwing when it is null.</summary>
    private sealed class FailingChannel(DeliveryResult? result, bool yieldFirst = false) : IChannel
    {
        public string Name => RecordingChannel.AnyName;

        public async ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
        {
            if (yieldFirst)
            {
                await Task.Yield();
            }

            return result ?? throw new HttpRequestException("provider unreachable");
        }
    }

    /// <summary>Holds the first send until released, and says when it got there.</summary>
    private sealed class GateChannel : IChannel
    {
        private int _calls;

        public ManualResetEventSlim Entered { get; } = new();

        public ManualResetEventSlim Release { get; } = new();

        public string Name => RecordingChannel.AnyName;

        public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                Entered.Set();
                Release.Wait(EngineHarness.SafetyTimeout);
            }

            return ValueTask.FromResult(DeliveryResult.Delivered);
        }
    }
}
