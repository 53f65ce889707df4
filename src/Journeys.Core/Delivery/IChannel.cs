namespace Journeys.Delivery;

/// <summary>A channel adapter: carries rendered messages out of the engine (push, SMS, e-mail, webhook, agent task...).
/// Implementations must be safe to call from several threads and should use <see cref="OutboundMessage.IdempotencyKey"/>
/// so a message retried after a crash is not delivered twice.
/// <para>The contract (checked by the <c>ChannelContractTests&lt;TChannel&gt;</c> test base): one
/// <see cref="SendAsync"/> is one attempt — retries, backoff, circuit breaking, rate limits and the attempt timeout are
/// the engine's (<see cref="ChannelDeliveryOptions"/>); the transport's outcome is mapped to a
/// <see cref="DeliveryResult"/> (a transient failure to <see cref="DeliveryResult.Retry(string)"/>, with the receiver's
/// requested wait in <see cref="DeliveryResult.RetryAfter"/>; a refusal that will not change to
/// <see cref="DeliveryResult.Permanent"/>) rather than thrown; the token is honoured; the message's rendered
/// <see cref="OutboundMessage.Subject"/> and <see cref="OutboundMessage.Body"/> are what reaches the receiver.</para></summary>
public interface IChannel
{
    /// <summary>The name journeys use in <c>send: { channel: ... }</c>; non-empty and the same for the channel's life.</summary>
    string Name { get; }

    /// <summary>Makes one attempt to deliver one message and says how it went. Throwing still counts as a retryable
    /// failure, but a channel should return <see cref="DeliveryResult.Retry(string)"/> instead.</summary>
    /// <param name="message">The message, rendered.</param>
    /// <param name="cancellationToken">Cancelled when the attempt times out or the engine stops (or its drain deadline
    /// passes): the channel should stop and throw <see cref="OperationCanceledException"/>; the engine no longer waits.</param>
    ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken);
}
