namespace Journeys.Delivery;

/// <summary>A channel that can retry inside one <see cref="IChannel.SendAsync"/> call (as the HTTP adapters can, for use
/// outside an engine). The engine's delivery pipeline retries each message itself
/// (<see cref="ChannelDeliveryOptions.MaxAttempts"/>), so the engine refuses to build with such a channel retrying on
/// its own while the pipeline retries it too: the attempts would multiply, and the waits with them.</summary>
public interface ISelfRetryingChannel : IChannel
{
    /// <summary>The most attempts one <see cref="IChannel.SendAsync"/> call makes (1: the channel does not retry).</summary>
    int AttemptsPerSend { get; }

    /// <summary>The setting that controls <see cref="AttemptsPerSend"/>, named for the engine's message
    /// (<c>WebhookChannelOptions.MaxRetries</c>).</summary>
    string RetrySetting { get; }
}
