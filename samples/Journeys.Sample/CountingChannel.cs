using Journeys.Delivery;

namespace Journeys.Sample;

/// <summary>The sample's default channel: accepts every channel name and every message, keeps none (a run of months
/// sends hundreds of thousands), and counts them.</summary>
public sealed class CountingChannel : IChannel
{
    private long _delivered;

    /// <inheritdoc />
    public string Name => RecordingChannel.AnyName;

    /// <summary>How many messages it accepted.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <inheritdoc />
    public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _delivered);
        return ValueTask.FromResult(DeliveryResult.Delivered);
    }
}
