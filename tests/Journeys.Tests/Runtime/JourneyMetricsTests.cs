using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.State;
using Journeys.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Tests.Runtime;

/// <summary>The metrics an operator charts: decisions by journey, step, kind, channel and reason category (series bounded
/// by the catalog, never by customers), the time runs stand at steps and take to the goal, and per channel the outbox's
/// depth and the delivery latency. Each test has its own meter factory, so parallel tests never see each other.</summary>
public sealed class JourneyMetricsTests : IAsyncDisposable
{
    private const string Trial = """
        journey: trial
        entry: { on: signed_up }
        exit:
          - on: unsubscribed
        goal: { on: order_completed, within: 30d }
        start: welcome
        steps:
          welcome:
            send: { channel: push, template: trial/welcome }
            then:
              - after: 2d
                goto: nudge
          nudge:
            send: { channel: email, template: trial/nudge }
            then:
              - after: 3d
                goto: end
        """;

    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeTimeProvider _time = new(Start);

    private IMeterFactory MeterFactory => _services.GetRequiredService<IMeterFactory>();

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    private JourneyEngine Build(IChannel? push = null, ChannelDeliveryOptions? delivery = null) =>
        (push is null
            ? new JourneyEngineBuilder().AddChannel(new RecordingChannel())
            : new JourneyEngineBuilder().AddChannel(push, delivery).AddChannel(new RecordingChannel("email")))
            .UseCatalog(JourneyLoader.LoadYaml(("trial.yaml", Trial)))
            .UseTimeProvider(_time)
            .WithPartitions(2)
            .UseMeterFactory(MeterFactory)
            .Build();

    /// <summary>Every <c>journeys.decisions</c> measurement's tags, as name=value strings sorted by name.</summary>
    private MeterListener Listen(ConcurrentBag<string> series)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == MeterFactory && instrument.Name == JourneysMetrics.Decisions)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
            series.Add(string.Join(",", tags.ToArray().OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}"))));
        listener.Start();
        return listener;
    }

    private static async Task Customers(JourneyEngine engine, string prefix, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var id = $"{prefix}{i}";
            await engine.PublishAsync(new CustomerEvent(id, "signed_up"));
            if (i % 3 == 0)
            {
                await engine.PublishAsync(new CustomerEvent(id, "order_completed"));
            }
            else if (i % 3 == 1)
            {
                await engine.PublishAsync(new CustomerEvent(id, "unsubscribed"));
            }
        }
    }

    [Fact]
    public async Task Decisions_TaggedByJourneyStepKindChannelAndReason_AndTheSeriesDoNotGrowWithCustomers()
    {
        var series = new ConcurrentBag<string>();
        using var listener = Listen(series);
        await using var engine = Build().Start();

        await Customers(engine, "a", 30);
        await engine.DrainAsync();
        _time.Advance(TimeSpan.FromDays(6));
        await engine.DrainAsync();
        var first = series.Distinct().Order(StringComparer.Ordinal).ToList();
        await Customers(engine, "b", 300);
        await engine.DrainAsync();
        _time.Advance(TimeSpan.FromDays(6));
        await engine.DrainAsync();
        var all = series.Distinct().Order(StringComparer.Ordinal).ToList();

        Assert.Equal(
        [
            "journey=trial,kind=completed,reason=timer,step=nudge",
            "journey=trial,kind=entered,reason=event,step=welcome",
            "journey=trial,kind=exited,reason=exit,step=welcome",
            "journey=trial,kind=exited,reason=goal,step=welcome",
            "journey=trial,kind=goal,reason=goal,step=welcome",
            "journey=trial,kind=moved,reason=timer,step=nudge",
            "channel=email,journey=trial,kind=sent,reason=none,step=nudge",
            "channel=push,journey=trial,kind=sent,reason=none,step=welcome",
        ], all.OrderBy(s => s.Replace("channel=email,", "", StringComparison.Ordinal).Replace("channel=push,", "", StringComparison.Ordinal), StringComparer.Ordinal)
            .ThenBy(s => s, StringComparer.Ordinal));
        Assert.Equal(first, all); // ten times the customers, the same series: bounded by the catalog
        // 330 customers: each entered and sent; a third reached the goal and left (goal, exited); a third unsubscribed
        // (exited); a third moved to nudge, was sent the e-mail and completed.
        Assert.Equal((330 * 2) + (110 * 2) + 110 + (110 * 3), series.Count);
        Assert.DoesNotContain(all, s => s.Contains("=a1", StringComparison.Ordinal) || s.Contains("=b1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StepAndGoalDurations_AreRecordedInSecondsByJourneyAndStep()
    {
        using var steps = new MetricCollector<double>(MeterFactory, JourneysMetrics.Name, JourneysMetrics.StepDuration);
        using var goals = new MetricCollector<double>(MeterFactory, JourneysMetrics.Name, JourneysMetrics.GoalDuration);
        await using var engine = Build().Start();

        await engine.PublishAsync(new CustomerEvent("c1", "signed_up"));
        await engine.PublishAsync(new CustomerEvent("c2", "signed_up"));
        await engine.DrainAsync();
        _time.Advance(TimeSpan.FromHours(5));
        await engine.PublishAsync(new CustomerEvent("c2", "order_completed"));
        await engine.DrainAsync();
        _time.Advance(TimeSpan.FromDays(6));
        await engine.DrainAsync();

        var recorded = steps.GetMeasurementSnapshot().Select(m => ($"{m.Tags["journey"]}/{m.Tags["step"]}", m.Value)).Order().ToList();
        Assert.Equal(
        [
            ("trial/nudge", 3 * 86_400.0),   // c1: the 3-day timer, then the end
            ("trial/welcome", 5 * 3_600.0),  // c2: left at the goal after 5 hours
            ("trial/welcome", 2 * 86_400.0), // c1: the 2-day timer
        ], recorded);
        var goal = Assert.Single(goals.GetMeasurementSnapshot());
        Assert.Equal((5 * 3_600.0, "trial"), (goal.Value, goal.Tags["journey"]));
    }

    [Fact]
    public async Task DeliveryLatencyAndOutboxDepth_ArePerChannel()
    {
        using var latency = new MetricCollector<double>(MeterFactory, JourneysMetrics.Name, JourneysMetrics.DeliveryLatencyName);
        using var depth = new MetricCollector<int>(MeterFactory, JourneysMetrics.Name, JourneysMetrics.OutboxDepth);
        using var release = new ManualResetEventSlim();
        using var entered = new ManualResetEventSlim();
        var time = _time;
        var push = new BlockingChannel("push", () =>
        {
            entered.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            time.Advance(TimeSpan.FromSeconds(2)); // the send took two (virtual) seconds
        });
        await using var engine = Build(push, new ChannelDeliveryOptions { MaxConcurrency = 1, QueueCapacity = 10 }).Start();

        await engine.PublishAsync(new CustomerEvent("c1", "signed_up"));
        Assert.True(entered.Wait(TimeSpan.FromSeconds(30)));
        await engine.PublishAsync(new CustomerEvent("c2", "signed_up"));
        await engine.PublishAsync(new CustomerEvent("c3", "signed_up"));
        SpinWait.SpinUntil(() =>
        {
            depth.RecordObservableInstruments();
            return depth.GetMeasurementSnapshot().Any(m => m.Value == 2);
        }, TimeSpan.FromSeconds(30));
        var waiting = depth.GetMeasurementSnapshot().Last(m => Equals(m.Tags["channel"], "push"));
        Assert.Equal(2, waiting.Value);

        release.Set();
        await engine.DrainAsync();
        _ = depth.GetMeasurementSnapshot(clear: true);
        depth.RecordObservableInstruments();
        Assert.All(depth.GetMeasurementSnapshot(), m => Assert.Equal(0, m.Value));
        var measured = latency.GetMeasurementSnapshot();
        Assert.Equal(3, measured.Count);
        Assert.All(measured, m => Assert.Equal(("push", "delivered"), (m.Tags["channel"], m.Tags["outcome"])));
        Assert.Contains(measured, m => m.Value >= 2); // c1 waited for its own send; c2 and c3 for c1's and theirs
    }

    [Fact]
    public void Recording_DecisionsAndDurations_AllocatesNothingWithAListener()
    {
        using var metrics = new JourneysMetrics(MeterFactory, () => 0);
        var journey = new Journeys.Compilation.RuntimeModel(JourneyLoader.LoadYaml(("trial.yaml", Trial))).Journeys[0];
        var sent = new JourneyDecision
        {
            Timestamp = Start, CustomerId = "c1", JourneyId = "trial", Version = 1, Step = "welcome", Kind = DecisionKind.Sent, Channel = "push",
        };
        var exited = sent with { Kind = DecisionKind.Exited, Channel = null, Why = DecisionReason.Exit("unsubscribed") };
        long total = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == MeterFactory)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => total += value);
        listener.SetMeasurementEventCallback<double>((_, _, _, _) => total++);
        listener.Start();

        void Round()
        {
            metrics.Decision(sent);
            metrics.Decision(exited);
            metrics.LeftStep(journey, "welcome", TimeSpan.TicksPerDay);
            metrics.ReachedGoal(journey, TimeSpan.TicksPerHour);
            metrics.DeliveryLatency("push", delivered: true, TimeSpan.FromSeconds(1));
        }

        Round();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            Round();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1_001 * 5, total);
    }

    /// <summary>A channel whose send runs the test's action (to hold the lane), then delivers.</summary>
    private sealed class BlockingChannel(string name, Action during) : IChannel
    {
        public string Name => name;

        public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
        {
            during();
            return ValueTask.FromResult(DeliveryResult.Delivered);
        }
    }
}
