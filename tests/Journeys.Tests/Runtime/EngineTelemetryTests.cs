using System.Diagnostics;
using System.Diagnostics.Metrics;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.State;
using Journeys.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Journeys.Tests.Runtime;

/// <summary>The engine's metrics, spans and logs, observed without dependency injection: a builder with a meter factory
/// and a logger factory of the test's own, so tests running in parallel never see each other's measurements.</summary>
public sealed class EngineTelemetryTests : IAsyncDisposable
{
    private const string Welcome = """
        journey: welcome
        entry: { on: signed_up, if: "event.plan != 'broken'" }
        start: hello
        steps:
          hello:
            send: { channel: push, template: welcome/hello }
        """;

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeLogCollector _logs = new();

    private IMeterFactory MeterFactory => _services.GetRequiredService<IMeterFactory>();

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    private JourneyEngine Build(IChannel channel, int partitions = 2, Action<Exception>? onError = null, ChannelDeliveryOptions? delivery = null) =>
        new JourneyEngineBuilder()
            .UseCatalog(JourneyLoader.LoadYaml(("welcome.yaml", Welcome)))
            .AddChannel(channel, delivery)
            .WithPartitions(partitions)
            .UseMeterFactory(MeterFactory)
            .UseLoggerFactory(new LoggerFactory([new FakeLoggerProvider(_logs)]))
            .OnError(onError ?? (_ => { }))
            .Build();

    private MetricCollector<T> Collect<T>(string instrument)
        where T : struct => new(MeterFactory, "Journeys", instrument);

    private static long Sum(MetricCollector<long> collector, params (string Key, object? Value)[] tags) =>
        collector.GetMeasurementSnapshot()
            .Where(m => tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && Equals(v, t.Value)))
            .Sum(m => m.Value);

    [Fact]
    public async Task EventsProcessed_EventsOfReadAndUnreadTypes_CountedHandledAndIgnored()
    {
        using var events = Collect<long>("journeys.events.processed");
        await using var engine = Build(new RecordingChannel()).Start();

        await engine.PublishAsync(new CustomerEvent("c1", "signed_up"));
        await engine.PublishAsync(new CustomerEvent("c2", "signed_up"));
        await engine.PublishAsync(new CustomerEvent("c1", "page_viewed"));
        await engine.DrainAsync();

        Assert.Equal(2, Sum(events, ("outcome", "handled")));
        Assert.Equal(1, Sum(events, ("outcome", "ignored")));
        Assert.Equal(3, Sum(events));
    }

    [Fact]
    public async Task Decisions_JourneyRun_CountedByKind()
    {
        using var decisions = Collect<long>("journeys.decisions");
        await using var engine = Build(new RecordingChannel()).Start();

        await engine.PublishAsync(new CustomerEvent("c1", "signed_up"));
        await engine.PublishAsync(new CustomerEvent("c2", "signed_up"));
        await engine.DrainAsync();

        Assert.Equal(2, Sum(decisions, ("kind", "entered")));
        Assert.Equal(2, Sum(decisions, ("kind", "sent")));
        Assert.Equal(2, Sum(decisions, ("kind", "completed")));
        Assert.Equal(6, Sum(decisions));
    }

    [Fact]
    public async Task MessagesSent_DeliveredAndRefused_CountedByChannelAndOutcome()
    {
        using var messages = Collect<long>("journeys.messages.sent");
        using var decisions = Collect<long>("journeys.decisions");
        var channel = new ScriptedChannel("push", m => m.CustomerId == "bad" ? DeliveryResult.Permanent("unknown device") : DeliveryResult.Delivered);
        await using var engine = Build(channel).Start();

        await engine.PublishAsync(new CustomerEvent("good", "signed_up"));
        await engine.PublishAsync(new CustomerEvent("bad", "signed_up"));
        await engine.DrainAsync();

        Assert.Equal(1, Sum(messages, ("channel", "push"), ("outcome", "delivered")));
        Assert.Equal(1, Sum(messages, ("channel", "push"), ("outcome", "failed")));
        Assert.Equal(1, Sum(decisions, ("kind", "failed")));
    }

    [Fact]
    public async Task QueueDepth_WorkerStalledByAFullDeliveryLane_ReportsWaitingItems()
    {
        using var depth = Collect<int>("journeys.queue.depth");
        using var release = new ManualResetEventSlim();
        using var entered = new ManualResetEventSlim();
        var channel = new ScriptedChannel("push", _ =>
        {
            entered.Set();
            release.Wait(TimeSpan.FromSeconds(30)); // holds the lane's only consumer inside its first send
            return DeliveryResult.Delivered;
        });
        await using var engine = Build(channel, partitions: 1, delivery: new ChannelDeliveryOptions { MaxConcurrency = 1, QueueCapacity = 1 }).Start();

        await engine.PublishAsync(new CustomerEvent("c1", "signed_up")); // taken by the consumer, which blocks
        Assert.True(entered.Wait(TimeSpan.FromSeconds(30)));
        await engine.PublishAsync(new CustomerEvent("c2", "signed_up")); // fills the lane
        await engine.PublishAsync(new CustomerEvent("c3", "signed_up")); // the worker waits for room: back-pressure

        // The worker applies the events queued right behind an event as one batch, up to the next other kind of work:
        // the profile update keeps the page views out of c3's batch, whenever the worker takes c3.
        await engine.IdentifyAsync(new CustomerProfile("w0", new Dictionary<string, object?> { ["plan"] = "gold" }));
        for (var i = 0; i < 5; i++)
        {
            await engine.PublishAsync(new CustomerEvent($"w{i}", "page_viewed"));
        }

        // The worker reaches the full lane asynchronously: wait (bounded) until it has; then the profile update and the
        // 5 page views wait behind it.
        SpinWait.SpinUntil(() =>
        {
            depth.RecordObservableInstruments();
            return depth.LastMeasurement?.Value == 6;
        }, TimeSpan.FromSeconds(30));
        Assert.Equal(6, depth.LastMeasurement?.Value);

        release.Set();
        await engine.DrainAsync();
        depth.RecordObservableInstruments();
        Assert.Equal(0, depth.LastMeasurement?.Value);
    }

    [Fact]
    public async Task Logs_StartFailedDeliveryAndStop_WrittenWithStableEventIds()
    {
        var channel = new ScriptedChannel("push", _ => DeliveryResult.Permanent("unknown device"));
        var engine = Build(channel).Start();

        await engine.PublishAsync(new CustomerEvent("c1", "signed_up"));
        await engine.StopAsync();

        var records = _logs.GetSnapshot();
        Assert.Equal(["EngineStarted", "DeliveryFailed", "EngineStopped"], records.Select(r => r.Id.Name));
        Assert.Equal("Journeys engine started: journeys 1, partitions 2, queue capacity 65536 per partition", records[0].Message);
        Assert.Equal(LogLevel.Warning, records[1].Level);
        Assert.Equal("Delivery on channel push failed for journey welcome step hello (idempotency key welcome:1:c1:1:hello:0): unknown device",
            records[1].Message);
        Assert.Equal("Journeys.Engine.JourneyEngine", records[1].Category);
    }

    [Fact]
    public async Task Logs_PartitionWorkerThrows_LoggedAsErrorAndStillGivenToOnError()
    {
        using var events = Collect<long>("journeys.events.processed");
        var errors = new List<Exception>();
        await using var engine = Build(new RecordingChannel(), partitions: 1, onError: errors.Add).Start();

        await engine.PublishAsync(BrokenEvent("c1"));
        await engine.DrainAsync();

        var record = Assert.Single(_logs.GetSnapshot(), r => r.Id.Name == "PartitionWorkerError");
        Assert.Equal(LogLevel.Error, record.Level);
        Assert.Equal("Partition 0 failed to apply an item or to save its customers; it carries on with the next item", record.Message);
        Assert.Equal("property broke", record.Exception?.Message);
        Assert.Same(record.Exception, Assert.Single(errors));
        Assert.Equal(1, Sum(events, ("outcome", "failed")));
    }

    [Fact]
    public async Task Events_OneThrowsAmongManyQueuedTogether_OnlyThatOneFailsAndTheRestAreApplied()
    {
        // The worker applies the events queued right behind each other as one batch: a failure stays with its event.
        using var events = Collect<long>("journeys.events.processed");
        var errors = new List<Exception>();
        var entered = new List<string>();
        await using var engine = Build(new RecordingChannel(), partitions: 1, onError: errors.Add).Start();
        using var recording = engine.Decisions.Subscribe(d =>
        {
            if (d.Kind == DecisionKind.Entered)
            {
                entered.Add(d.CustomerId);
            }
        });
        for (var i = 0; i < 200; i++)
        {
            engine.Publish(i == 50 ? BrokenEvent("c50") : new CustomerEvent("c" + i, "signed_up"));
        }

        await engine.DrainAsync();

        Assert.Equal("property broke", Assert.Single(errors).Message);
        Assert.Equal(Enumerable.Range(0, 200).Where(i => i != 50).Select(i => "c" + i), entered); // c50's event failed alone
        Assert.Equal(1, Sum(events, ("outcome", "failed")));
        Assert.Equal(199, Sum(events, ("outcome", "handled")));
    }

    /// <summary>An event whose <c>plan</c> property cannot be read (its conversion throws): the entry guard reads it, so
    /// applying the event throws inside the partition, as a bug in an embedding application's event type would.</summary>
    private static CustomerEvent BrokenEvent(string customer) =>
        new(customer, "signed_up", properties: new Dictionary<string, object?> { ["plan"] = new UnreadableProperty() });

    private sealed class UnreadableProperty
    {
        public override string ToString() => throw new InvalidOperationException("property broke");
    }

    [Fact]
    public async Task Activity_Delivery_SpanWithChannelJourneyAndStep()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Journeys",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (spans)
                {
                    spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var channel = new ScriptedChannel("push", m => m.CustomerId == "span-bad" ? DeliveryResult.Permanent("unknown device") : DeliveryResult.Delivered);
        await using var engine = Build(channel).Start();

        await engine.PublishAsync(new CustomerEvent("span-good", "signed_up"));
        await engine.PublishAsync(new CustomerEvent("span-bad", "signed_up"));
        await engine.DrainAsync();

        List<Activity> ours;
        lock (spans)
        {
            ours = spans.Where(s => s.GetTagItem("journeys.channel") as string == "push" && s.Parent is null).ToList();
        }

        Assert.Contains(ours, s => s.OperationName == "journeys.deliver" && s.Status == ActivityStatusCode.Unset &&
                                   (string?)s.GetTagItem("journeys.journey") == "welcome" && (string?)s.GetTagItem("journeys.step") == "hello");
        Assert.Contains(ours, s => s.Status == ActivityStatusCode.Error && s.StatusDescription == "unknown device");
    }

    [Fact]
    public void Recording_WithAndWithoutAListener_AllocatesNothing()
    {
        using var metrics = new JourneysMetrics(MeterFactory, () => 0);
        Assert.Equal(0, AllocatedByRecording(metrics)); // nobody listens

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
        listener.Start();

        Assert.Equal(0, AllocatedByRecording(metrics));
        Assert.Equal(1_001 * 4, total); // the listener saw every measurement of the second pass, warm-up included
    }

    private static readonly JourneyDecision Sent = new()
    {
        Timestamp = DateTimeOffset.UnixEpoch, CustomerId = "c1", JourneyId = "welcome", Version = 1, Step = "hello", Kind = DecisionKind.Sent, Channel = "push",
    };

    /// <summary>Bytes allocated by 1,000 rounds of the per-event recordings, after one round to warm up.</summary>
    private static long AllocatedByRecording(JourneysMetrics metrics)
    {
        static void Round(JourneysMetrics m)
        {
            m.EventProcessed(handled: true);
            m.EventProcessed(handled: false);
            m.Decision(Sent);
            m.MessageSent("push", delivered: true);
        }

        Round(metrics);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            Round(metrics);
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    /// <summary>A channel whose answer the test decides, synchronously.</summary>
    private sealed class ScriptedChannel(string name, Func<OutboundMessage, DeliveryResult> answer) : IChannel
    {
        public string Name => name;

        public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken) =>
            ValueTask.FromResult(answer(message));
    }
}
