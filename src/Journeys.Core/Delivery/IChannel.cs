namespace Journeys.Delivery;

/// <summary>A channel adapter: carries rendered messages out of the engine (push, SMS, e-mail, webhook, agent task...).
/// Implementations must be safe to call from several threads and should use <see cref="OutboundMessage.IdempotencyKey"/>
/// so a message retried after a crash is not delivered twice.</summary>
public interface IChannel
{
    /// <summary>The name journeys use in <c>send: { channel: ... }</c>.</summary>
    string Name { get; }

    /// <summary>Delivers one message and says how it went. Throwing counts as a retryable failure.</summary>
    ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken);
}
