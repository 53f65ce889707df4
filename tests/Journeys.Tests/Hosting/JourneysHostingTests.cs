using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Journeys.Channels;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Diagnostics;
using Journeys.Engine;
using Journeys.Hosting;
using Journeys.Persistence;
using Journeys.State;
using Journeys.Tests.Channels;
using Journeys.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Tests.Hosting;

/// <summary><c>services.AddJourneys(...)</c> in a real generic host: the hosted service starts and drains the engine,
/// options fail the start naming the property, every piece can be replaced, metrics reach the host's meter factory.</summary>
public sealed class JourneysHostingTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    private readonly TempFolder _root = new();

    public JourneysHostingTests() => _root.Write("journeys/nurture.yaml", TestJourneys.Nurture);

    public void Dispose() => _root.Dispose();

    /// <summary>A host with no configuration sources or logging providers, whose content root is the temp folder (so
    /// <c>Folder = "journeys"</c> is relative to it).</summary>
    private HostApplicationBuilder NewHost() =>
        Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = _root.Path });

    private static ConcurrentQueue<JourneyDecision> Record(JourneyEngine engine)
    {
        var decisions = new ConcurrentQueue<JourneyDecision>();
        engine.Decisions.Subscribe(decisions.Enqueue);
        return decisions;
    }

    [Fact]
    public async Task Host_StartPublishStop_RunsJourneysAndDrainsEverythingOnStop()
    {
        var push = new RecordingChannel("push");
        var builder = NewHost();
        builder.Services.AddJourneys(o =>
        {
            o.Folder = "journeys";
            o.Partitions = 2;
        }).AddChannel(push);
        using var host = builder.Build();

        await host.StartAsync();
        var engine = host.Services.GetRequiredService<JourneyEngine>();
        var decisions = Record(engine);
        for (var i = 0; i < 200; i++)
        {
            await engine.PublishAsync(new CustomerEvent($"c{i}", "signed_up"));
        }

        await host.StopAsync(); // no DrainAsync: stopping the host applies what is queued

        Assert.Equal(2, engine.PartitionCount);
        Assert.Equal(200, decisions.Count(d => d.Kind == DecisionKind.Entered));
        Assert.Equal(200, decisions.Count(d => d.Kind == DecisionKind.Sent));
        Assert.Equal(200, push.Messages.Count);
        Assert.Throws<InvalidOperationException>(() => engine.Publish(new CustomerEvent("late", "signed_up")));
    }

    [Fact]
    public async Task Host_DeliveryOptionsNamedAfterAChannel_SetThatChannelsRetries()
    {
        var push = new AlwaysRetryChannel("push");
        var builder = NewHost();
        builder.Services.AddJourneys(o => o.Folder = "journeys").AddChannel(push);
        builder.Services.Configure<ChannelDeliveryOptions>("push", o =>
        {
            o.MaxAttempts = 5;
            o.BaseDelay = TimeSpan.Zero;
        });
        using var host = builder.Build();

        await host.StartAsync();
        var engine = host.Services.GetRequiredService<JourneyEngine>();
        var decisions = Record(engine);
        await engine.PublishAsync(new CustomerEvent("c1", "signed_up"));
        await engine.DrainAsync().WaitAsync(Runtime.EngineHarness.SafetyTimeout);
        await host.StopAsync();

        Assert.Equal(5, push.Attempts);
        Assert.Equal("busy", Assert.Single(decisions, d => d.Kind == DecisionKind.Failed).Reason);
    }

    [Fact]
    public async Task Host_StopTokenCancelledWhileAChannelIsMidSend_TheChannelGetsItAndTheStopReturns()
    {
        var push = new HangingChannel("push");
        var builder = NewHost();
        builder.Services.AddJourneys(o =>
        {
            o.Folder = "journeys";
            o.DrainTimeout = Timeout.InfiniteTimeSpan; // only the host's token ends the drain
        }).AddChannel(push);
        using var host = builder.Build();
        await host.StartAsync();
        var engine = host.Services.GetRequiredService<JourneyEngine>();
        var decisions = Record(engine);
        await engine.PublishAsync(new CustomerEvent("c1", "signed_up"));
        await push.Sending.Task.WaitAsync(Runtime.EngineHarness.SafetyTimeout);

        using var shutdown = new CancellationTokenSource();
        var stop = host.StopAsync(shutdown.Token);
        Assert.False(stop.IsCompleted);
        await shutdown.CancelAsync(); // the host's shutdown timeout
        await stop.WaitAsync(Runtime.EngineHarness.SafetyTimeout);

        await push.Cancelled.Task.WaitAsync(Runtime.EngineHarness.SafetyTimeout);
        Assert.DoesNotContain(decisions, d => d.Kind == DecisionKind.Failed);
    }

    [Fact]
    public async Task Host_InvalidJourneysOptions_FailsAtStartNamingEveryProperty()
    {
        var builder = NewHost();
        builder.Services.AddJourneys(o =>
        {
            o.Partitions = 0;
            o.QueueCapacity = 4;
            o.CatchUpLimit = 0;
            o.MaxSendLateness = TimeSpan.Zero;
            o.DrainTimeout = TimeSpan.Zero;
            o.IdleEviction = TimeSpan.Zero;
        }).AddChannel(new RecordingChannel());
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(typeof(JourneysOptions), error.OptionsType);
        Assert.Equal(
            [
                "JourneysOptions.Folder is required: the folder of journey files, absolute or relative to the content root.",
                "JourneysOptions.Partitions: 0 is out of range; use 1 to 1024, or null for one per processor.",
                "JourneysOptions.QueueCapacity: 4 is too small; use at least 16, or null for 65,536.",
                "JourneysOptions.CatchUpLimit: 0 is too small; use at least 1 timer per turn, or null for 1,000.",
                "JourneysOptions.MaxSendLateness: 00:00:00 is not a lateness; use more than zero, or null for no limit.",
                "JourneysOptions.IdleEviction: 00:00:00 is not a time; use more than zero, or null to keep every customer in memory.",
                "JourneysOptions.DrainTimeout: 00:00:00 is not a deadline; use more than zero, or Timeout.InfiniteTimeSpan to wait for every delivery, or null for 30 seconds.",
            ],
            error.Failures);
    }

    [Fact]
    public async Task Host_FolderMissing_FailsAtStartNamingFolder()
    {
        var builder = NewHost();
        builder.Services.AddJourneys(o => o.Folder = "no-such-folder").AddChannel(new RecordingChannel());
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        var failure = Assert.Single(error.Failures);
        Assert.Equal($"JourneysOptions.Folder 'no-such-folder' does not exist (looked for {Path.Combine(_root.Path, "no-such-folder")}).", failure);
    }

    [Fact]
    public async Task Host_JourneyFileWithErrors_FailsAtStartWithItsPlace()
    {
        _root.Write("journeys/broken.yaml", """
            journey: broken
            entry: { on: signed_up }
            start: nowhere
            steps:
              hello:
                send: { channel: push, template: hello }
            """);
        var builder = NewHost();
        builder.Services.AddJourneys(o => o.Folder = "journeys").AddChannel(new RecordingChannel("push"));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<JourneyLoadException>(() => host.StartAsync());

        Assert.Contains("broken.yaml:", error.Message);
    }

    [Fact]
    public async Task Host_InvalidWebhookOptions_FailsAtStartNamingEveryProperty()
    {
        var builder = NewHost();
        builder.Services.AddJourneys(o => o.Folder = "journeys")
            .AddChannel(new RecordingChannel("push"))
            .AddWebhookChannel("loyalty", o =>
            {
                o.Name = "points";
                o.Url = new Uri("/hooks", UriKind.Relative);
            });
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(typeof(WebhookChannelOptions), error.OptionsType);
        Assert.Equal("loyalty", error.OptionsName);
        Assert.Collection(error.Failures,
            f => Assert.Equal("WebhookChannelOptions.Url must be an absolute http or https URL (was '/hooks').", f),
            f => Assert.Equal("WebhookChannelOptions.Secret must be at least 16 characters (was null).", f),
            f => Assert.Equal("WebhookChannelOptions.Name is 'points', but the channel was registered as 'loyalty' by AddWebhookChannel; set the name there.", f));
    }

    [Fact]
    public async Task Host_InvalidSmtpOptions_FailsAtStartNamingEveryProperty()
    {
        var builder = NewHost();
        builder.Services.AddJourneys(o => o.Folder = "journeys")
            .AddChannel(new RecordingChannel("push"))
            .AddSmtpChannel(o => o.Port = 0);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal("email", error.OptionsName);
        Assert.Contains("SmtpChannelOptions.Host must be a host name or IP address, not ''", error.Failures);
        Assert.Contains("SmtpChannelOptions.Port must be from 1 to 65535, not 0", error.Failures);
    }

    [Fact]
    public async Task Host_ReplacesTimeProvider_EngineAndChannelsRunOnFakeTime()
    {
        var time = new FakeTimeProvider(T0);
        var builder = NewHost();
        builder.Services.AddSingleton<TimeProvider>(time); // before AddJourneys: its TryAdd keeps the host's
        builder.Services.AddJourneys(o => o.Folder = "journeys")
            .AddChannel(new RecordingChannel("push"))
            .AddWebhookChannel("loyalty", o =>
            {
                o.Url = new Uri("http://127.0.0.1:9/hooks");
                o.Secret = "0123456789abcdef";
            });
        using var host = builder.Build();
        await host.StartAsync();
        var engine = host.Services.GetRequiredService<JourneyEngine>();
        var decisions = Record(engine);

        await engine.PublishAsync(new CustomerEvent("c1", "signed_up"));
        await engine.DrainAsync(); // the step's timer is armed before the clock moves
        time.Advance(TimeSpan.FromDays(7));
        await host.StopAsync();

        Assert.Same(time, Assert.Single(host.Services.GetServices<TimeProvider>()));
        Assert.Same(time, engine.TimeProvider);
        Assert.Same(time, host.Services.GetRequiredService<IOptionsMonitor<WebhookChannelOptions>>().Get("loyalty").TimeProvider);
        var moved = Assert.Single(decisions, d => d.Kind == DecisionKind.Moved);
        Assert.Equal(("consult", T0.AddDays(7)), (moved.Step, moved.Timestamp));
    }

    [Fact]
    public async Task Host_Metrics_CollectedThroughTheHostsMeterFactory()
    {
        var builder = NewHost();
        builder.Services.AddJourneys(o => o.Folder = "journeys").AddChannel(new RecordingChannel("push"));
        using var host = builder.Build();
        var meters = host.Services.GetRequiredService<IMeterFactory>();
        using var events = new MetricCollector<long>(meters, "Journeys", "journeys.events.processed");
        using var decisions = new MetricCollector<long>(meters, "Journeys", "journeys.decisions");
        using var messages = new MetricCollector<long>(meters, "Journeys", "journeys.messages.sent");
        using var depth = new MetricCollector<int>(meters, "Journeys", "journeys.queue.depth");

        await host.StartAsync();
        var engine = host.Services.GetRequiredService<JourneyEngine>();
        await engine.PublishAsync(new CustomerEvent("c1", "signed_up"));
        await engine.PublishAsync(new CustomerEvent("c2", "signed_up"));
        await engine.PublishAsync(new CustomerEvent("c1", "app_opened"));
        await engine.DrainAsync();
        depth.RecordObservableInstruments();
        await host.StopAsync();

        Assert.Equal(2, Sum(events, "outcome", "handled"));
        Assert.Equal(1, Sum(events, "outcome", "ignored"));
        Assert.Equal(2, Sum(decisions, "kind", "entered"));
        var delivered = messages.GetMeasurementSnapshot();
        Assert.Equal(2, delivered.Count);
        Assert.All(delivered, m => Assert.Equal(("push", "delivered"), ((string?)m.Tags["channel"], (string?)m.Tags["outcome"])));
        Assert.Equal(0, depth.LastMeasurement?.Value);
    }

    [Fact]
    public async Task Host_WebhookChannel_PostsThroughTheNamedHttpClient()
    {
        _root.Write("webhook/points.yaml", """
            journey: points
            entry: { on: order_paid }
            start: award
            steps:
              award:
                send: { channel: loyalty, template: points/award }
            """);
        await using var receiver = await ScriptedReceiver.StartAsync();
        var handled = 0;
        var builder = NewHost();
        builder.Services.AddJourneys(o => o.Folder = "webhook")
            .AddWebhookChannel("loyalty", o =>
            {
                o.Url = receiver.Url;
                o.Secret = "0123456789abcdef";
            });
        builder.Services.AddHttpClient("loyalty").AddHttpMessageHandler(() => new CountingHandler(() => Interlocked.Increment(ref handled)));
        using var host = builder.Build();
        await host.StartAsync();
        var engine = host.Services.GetRequiredService<JourneyEngine>();
        var decisions = Record(engine);

        await engine.PublishAsync(new CustomerEvent("c1", "order_paid"));
        await host.StopAsync();

        var request = Assert.Single(receiver.Received);
        Assert.Equal("points:1:c1:1:award:0", request.IdempotencyKey);
        Assert.Equal(1, handled);
        Assert.DoesNotContain(decisions, d => d.Kind == DecisionKind.Failed);
    }

    [Fact]
    public async Task Host_StoreRegistered_EngineKeepsCustomersThere()
    {
        var store = new InMemoryJourneyStore();
        var builder = NewHost();
        builder.Services.AddSingleton<IJourneyStore>(store);
        builder.Services.AddJourneys(o => o.Folder = "journeys").AddChannel(new RecordingChannel("push"));
        using var host = builder.Build();
        await host.StartAsync();

        await host.Services.GetRequiredService<JourneyEngine>().PublishAsync(new CustomerEvent("c1", "signed_up"));
        await host.StopAsync();

        var saved = store.Find("c1");
        Assert.NotNull(saved);
        Assert.Equal("guide", Assert.Single(saved.Decoded().Instances).Step);
    }

    private static long Sum(MetricCollector<long> collector, string tag, string value) =>
        collector.GetMeasurementSnapshot().Where(m => m.Tags.TryGetValue(tag, out var v) && (string?)v == value).Sum(m => m.Value);

    /// <summary>Counts the requests that pass through the named client's handler pipeline.</summary>
    private sealed class CountingHandler(Action counted) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            counted();
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>Takes a message and waits until its token is cancelled.</summary>
    private sealed class HangingChannel(string name) : IChannel
    {
        public string Name => name;

        public TaskCompletionSource Sending { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
        {
            Sending.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return DeliveryResult.Delivered;
            }
            catch (OperationCanceledException)
            {
                Cancelled.TrySetResult();
                throw;
            }
        }
    }

    /// <summary>Fails every attempt as retryable, counting them.</summary>
    private sealed class AlwaysRetryChannel(string name) : IChannel
    {
        private int _attempts;

        public string Name => name;

        public int Attempts => Volatile.Read(ref _attempts);

        public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _attempts);
            return ValueTask.FromResult(DeliveryResult.Retry("busy"));
        }
    }
}
