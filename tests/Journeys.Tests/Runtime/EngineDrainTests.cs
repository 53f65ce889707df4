using System.Collections.Concurrent;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.State;
using Journeys.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Tests.Runtime;

public sealed class EngineDrainTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task DrainAsync_WorkQueuedRightBeforeTheBarrier_LeavesItsTimersArmedForTheClock()
    {
        var time = new FakeTimeProvider(T0);
        using var release = new ManualResetEventSlim();
        using var blocked = new ManualResetEventSlim();
        var channel = new BlockingChannel(blocked, release);
        await using var engine = new JourneyEngineBuilder()
            .UseCatalog(JourneyLoader.LoadYaml(("nurture.yaml", TestJourneys.Nurture)))
            .AddChannel(channel)
            .UseTimeProvider(time)
            .WithPartitions(1)
            .Build()
            .Start();
        var decisions = new ConcurrentQueue<JourneyDecision>();
        engine.Decisions.Subscribe(decisions.Enqueue);

        // The worker is held inside the first send while c2 and the drain barrier queue up behind it, so neither the
        // first event nor c2 finds the queue empty afterwards: only the barrier can arm their timers.
        await engine.PublishAsync(new CustomerEvent("c1", "signed_up"));
        Assert.True(blocked.Wait(TimeSpan.FromSeconds(30)));
        await engine.PublishAsync(new CustomerEvent("c2", "signed_up"));
        var drained = engine.DrainAsync();
        release.Set();
        await drained;

        time.Advance(TimeSpan.FromDays(7));
        await engine.DrainAsync();

        Assert.Equal(["c1", "c2"], decisions.Where(d => d.Kind == DecisionKind.Moved).Select(d => d.CustomerId).Order());
    }

    /// <summary>Holds the worker in its first send until released.</summary>
    private sealed class BlockingChannel(ManualResetEventSlim blocked, ManualResetEventSlim release) : IChannel
    {
        public string Name => "push";

        public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
        {
            blocked.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            return ValueTask.FromResult(DeliveryResult.Delivered);
        }
    }
}
