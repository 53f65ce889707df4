using System.Diagnostics.Metrics;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.State;
using Journeys.Telemetry;
using Journeys.Tests.Actions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Tests.Runtime;

/// <summary>Calls (<c>call:</c>) on the engine's meter: an answered call counts on <c>journeys.actions.called</c>, one that
/// gave up on <c>journeys.actions.failed</c>, both tagged with the action and timed on <c>journeys.actions.latency</c>;
/// neither is a message on <c>journeys.messages.sent</c> or <c>journeys.delivery.latency</c>, which keep the sends. A call
/// that gave up is logged as <c>CallFailed</c> (event id 9), a send that failed as <c>DeliveryFailed</c> (5).</summary>
public sealed class ActionTelemetryTests : IAsyncDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private IMeterFactory MeterFactory => _services.GetRequiredService<IMeterFactory>();

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    private static long Sum(MetricCollector<long> collector, params (string Key, object? Value)[] tags) =>
        collector.GetMeasurementSnapshot()
            .Where(m => tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && Equals(v, t.Value)))
            .Sum(m => m.Value);

    [Fact]
    public async Task Calls_AnsweredAndGivenUp_CountedByAction_AndNotAsMessagesSent()
    {
        using var called = new MetricCollector<long>(MeterFactory, JourneysMetrics.Name, JourneysMetrics.ActionsCalled);
        using var failed = new MetricCollector<long>(MeterFactory, JourneysMetrics.Name, JourneysMetrics.ActionsFailed);
        using var latency = new MetricCollector<double>(MeterFactory, JourneysMetrics.Name, JourneysMetrics.ActionLatencyName);
        using var messages = new MetricCollector<long>(MeterFactory, JourneysMetrics.Name, JourneysMetrics.MessagesSent);
        using var deliveries = new MetricCollector<double>(MeterFactory, JourneysMetrics.Name, JourneysMetrics.DeliveryLatencyName);
        using var decisions = new MetricCollector<long>(MeterFactory, JourneysMetrics.Name, JourneysMetrics.Decisions);
        // The first call is answered, the second refused for good (whichever customer's comes first).
        var action = new FixedAction("loyalty-credit", FixedAction.Done("""{"status":"ok"}"""), ActionResult.Permanent("account closed"));
        var engine = new JourneyEngineBuilder()
            .UseCatalog(JourneyLoader.LoadYaml(("boost.yaml", CallJourneys.Boost)))
            .AddChannel(new RecordingChannel())
            .AddAction(action, new ChannelDeliveryOptions { MaxAttempts = 1 })
            .WithPartitions(1)
            .UseTimeProvider(new FakeTimeProvider(Sim.T))
            .UseMeterFactory(MeterFactory)
            .Build();
        await using (engine.Start())
        {
            await engine.PublishAsync(new CustomerEvent("c1", "order_completed", Sim.T));
            await engine.PublishAsync(new CustomerEvent("c2", "order_completed", Sim.T));
            await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);
            await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout); // the answers' moves and the sends after them
        }

        Assert.Equal(2, action.Requests.Count);
        Assert.Equal((1, 1), (Sum(called, ("action", "loyalty-credit")), Sum(failed, ("action", "loyalty-credit"))));
        Assert.Equal((1, 1), (Sum(called), Sum(failed)));
        var timed = latency.GetMeasurementSnapshot();
        Assert.Equal(["done", "failed"], timed.Select(m => (string)m.Tags["outcome"]!).Order(StringComparer.Ordinal));
        Assert.All(timed, m => Assert.Equal("loyalty-credit", m.Tags["action"]));

        // The messages are the two sends after the calls, on their channels; the action is on none of the message series.
        Assert.Equal(2, Sum(messages));
        Assert.Equal((1, 1), (Sum(messages, ("channel", "push")), Sum(messages, ("channel", "sms"))));
        Assert.Equal(0, Sum(messages, ("channel", "loyalty-credit")));
        Assert.DoesNotContain(deliveries.GetMeasurementSnapshot(), m => Equals(m.Tags["channel"], "loyalty-credit"));

        // The decisions counter has the calls as decisions: called, and failed with the action in channel.
        Assert.Equal(1, Sum(decisions, ("kind", "called"), ("channel", "loyalty-credit")));
        Assert.Equal(1, Sum(decisions, ("kind", "failed"), ("channel", "loyalty-credit")));
    }

    [Fact]
    public async Task Logs_CallGivenUp_IsCallFailedWithTheAction_FailedFallbackSendIsDeliveryFailed()
    {
        var logs = new FakeLogCollector();
        var action = new FixedAction("loyalty-credit", ActionResult.Permanent("account closed"));
        var engine = new JourneyEngineBuilder()
            .UseCatalog(JourneyLoader.LoadYaml(("boost.yaml", CallJourneys.Boost)))
            .AddChannel(new RecordingChannel("push"))
            .AddChannel(new RefusingChannel("sms", "no such number"), new ChannelDeliveryOptions { MaxAttempts = 1 })
            .AddAction(action, new ChannelDeliveryOptions { MaxAttempts = 1 })
            .WithPartitions(1)
            .UseTimeProvider(new FakeTimeProvider(Sim.T))
            .UseLoggerFactory(new LoggerFactory([new FakeLoggerProvider(logs)]))
            .Build();
        await using (engine.Start())
        {
            await engine.PublishAsync(new CustomerEvent("c1", "order_completed", Sim.T));
            await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);
            await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout); // the $failed move and the SMS after it
        }

        var failures = logs.GetSnapshot().Where(r => r.Level == LogLevel.Warning).ToList();
        Assert.Equal([(9, "CallFailed"), (5, "DeliveryFailed")], failures.Select(r => (r.Id.Id, r.Id.Name!)));
        Assert.Equal("Call of action loyalty-credit failed for journey boost step credit (idempotency key boost:1:c1:1:credit:call): account closed",
            failures[0].Message);
        Assert.Equal("Delivery on channel sms failed for journey boost step sorry (idempotency key boost:1:c1:1:sorry:0): no such number",
            failures[1].Message);
    }

    private sealed class RefusingChannel(string name, string reason) : IChannel
    {
        public string Name => name;

        public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken) =>
            ValueTask.FromResult(DeliveryResult.Permanent(reason));
    }
}
