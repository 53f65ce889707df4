using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;

namespace Journeys.Tests.Runtime;

/// <summary>The simulator hands each message to its channel and waits for the result in place: a channel that answers at
/// once (as simulate's does) costs no <see cref="Task"/> per send; one that answers later is still waited for.</summary>
public sealed class SimulatorDeliverTests
{
    private const string Journey = """
        journey: wait
        entry: { on: joined }
        start: first
        steps:
          first:
            then: [ { after: 7d, goto: second } ]
          second:
        """;

    private static OutboundMessage Message() => new()
    {
        IdempotencyKey = "ping:1:c1:0:notify:0",
        Channel = "push",
        Template = "ping/notice",
        CustomerId = "c1",
        JourneyId = "ping",
        JourneyVersion = 1,
        Step = "notify",
        Timestamp = Sim.T,
    };

    [Fact]
    public void Deliver_ChannelAnsweringAtOnce_AllocatesNothing()
    {
        var sink = new Sink();
        var deliver = new Simulator(Sim.Load(Journey), new AtOnce()).Deliver(sink, () => throw new InvalidOperationException("no answer is queued for a delivered send"));
        var message = Message();
        deliver(message); // warm

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            deliver(message);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before); // AsTask made a Task<DeliveryResult> per send
        Assert.Empty(sink.Decisions);
    }

    [Fact]
    public void Deliver_ChannelAnsweringLater_IsWaitedFor_AndAFailureIsAFailedDecision()
    {
        var sink = new Sink();
        var queued = 0;
        var channel = new Later(DeliveryResult.Permanent("mailbox full"));
        var deliver = new Simulator(Sim.Load(Journey), channel).Deliver(sink, () =>
        {
            queued++;
            throw new OperationCanceledException("stop before queueing"); // the processor's answer queue is not this test's
        });

        Assert.Throws<OperationCanceledException>(() => deliver(Message()));

        Assert.Equal(1, channel.Sent);
        Assert.Equal(1, queued);
        var failed = Assert.Single(sink.Decisions);
        Assert.Equal((DecisionKind.Failed, ReasonKind.Delivery, "mailbox full"), (failed.Kind, failed.Why?.Kind, failed.Why?.Message));
    }

    private sealed class Sink : IDecisionSink
    {
        public List<JourneyDecision> Decisions { get; } = [];

        public void Emit(JourneyDecision decision) => Decisions.Add(decision);
    }

    private sealed class AtOnce : IChannel
    {
        public string Name => RecordingChannel.AnyName;

        public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken) => new(DeliveryResult.Delivered);
    }

    private sealed class Later(DeliveryResult result) : IChannel
    {
        public int Sent { get; private set; }

        public string Name => RecordingChannel.AnyName;

        public async ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
        {
            Sent++;
            await Task.Yield(); // completes after SendAsync has returned
            return result;
        }
    }
}
