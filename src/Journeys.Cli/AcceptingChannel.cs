using Journeys.Delivery;

namespace Journeys.Cli;

/// <summary>The channel of a streamed simulate: every channel name, every message delivered, nothing kept (a
/// <see cref="RecordingChannel"/> would keep every message of the run, rendered bodies and all).</summary>
internal sealed class AcceptingChannel : IChannel
{
    public string Name => RecordingChannel.AnyName;

    public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken) => new(DeliveryResult.Delivered);
}
