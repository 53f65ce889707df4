using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Persistence;
using Journeys.State;
using Journeys.Tests.Runtime;
using Journeys.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Tests.Persistence;

/// <summary>A delivery that ends at any moment of a save is removed from the store's outbox by that save or a later one:
/// never forgotten (its row kept for a redelivery at the next start).</summary>
public sealed class OutboxDeliveryEndTests
{
    private const string Hello = """
        journey: hello
        version: 1
        entry: { on: poke }
        start: s
        steps:
          s:
            send: { channel: push, template: hello/hi }
        """;

    private static readonly TimeSpan Safety = EngineHarness.SafetyTimeout;

    /// <summary>Holds every delivery until <see cref="Open"/> is completed; <see cref="Started"/> completes at the first.</summary>
    private sealed class HeldChannel : IChannel
    {
        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "push";

        public async ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            await Open.Task;
            return DeliveryResult.Delivered;
        }
    }

    /// <summary>The flake of ShardStoreFoldingContractTests' redelivery check: a save read the in-flight deliveries twice,
    /// once to take those that had ended and once to drop those that had ended; one that ended in between was dropped
    /// without its key, so no save removed its row. Here it ends exactly there, every run.</summary>
    [Fact]
    public async Task Delivery_EndingWhileASaveTakesTheEndedOnes_IsRemovedFromTheOutboxByTheDrain()
    {
        var store = new InMemoryJourneyStore();
        var channel = new HeldChannel();
        await using var engine = new JourneyEngineBuilder()
            .UseCatalog(Sim.Load(Hello))
            .AddChannel(channel)
            .UseTimeProvider(new FakeTimeProvider(Sim.T))
            .UseStore(store)
            .WithPartitions(1)
            .Build()
            .Start();

        await engine.PublishAsync(new CustomerEvent("c1", "poke"));
        await channel.Started.Task.WaitAsync(Safety); // saved, handed over, held: in flight
        var partition = Assert.Single(engine.Partitions);
        var endedThere = 0;
        partition.AfterDeliveriesTaken = inFlight =>
        {
            if (inFlight.Count == 1 && Interlocked.Exchange(ref endedThere, 1) == 0)
            {
                channel.Open.SetResult();
                Assert.True(inFlight[0].Wait(Safety)); // the delivery has ended, between the save's reads
            }
        };

        await engine.DrainAsync().WaitAsync(Safety);

        Assert.Equal(1, endedThere);
        Assert.Empty(await store.LoadOutboxAsync(CancellationToken.None));
    }
}
