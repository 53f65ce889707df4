namespace Journeys.Delivery;

/// <summary>The outcome of <see cref="IChannel.SendAsync"/>.</summary>
/// <param name="Status">Delivered, retryable or permanent failure.</param>
/// <param name="Reason">For failures: why, in words an operator understands.</param>
public readonly record struct DeliveryResult(DeliveryStatus Status, string? Reason = null)
{
    /// <summary>For a retryable failure: how long the receiver asked to be left alone (an HTTP <c>Retry-After</c>), or
    /// null. The engine's delivery pipeline waits this long, instead of its jittered backoff, before the next attempt,
    /// and ends the message <c>failed</c> at once when it is longer than the channel's
    /// <see cref="ChannelDeliveryOptions.MaxDelay"/>.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>For a call (<see cref="IJourneyAction"/>) that was done: its answer, carried from the action back into the
    /// partition; null for messages.</summary>
    internal System.Text.Json.JsonElement? Answer { get; init; }

    /// <summary>The message was delivered.</summary>
    public static DeliveryResult Delivered { get; } = new(DeliveryStatus.Delivered);

    /// <summary>A failure worth retrying.</summary>
    public static DeliveryResult Retry(string reason) => new(DeliveryStatus.RetryableFailure, reason);

    /// <summary>A failure worth retrying, but not before <paramref name="retryAfter"/> (see <see cref="RetryAfter"/>).</summary>
    public static DeliveryResult Retry(string reason, TimeSpan retryAfter) =>
        new(DeliveryStatus.RetryableFailure, reason) { RetryAfter = retryAfter < TimeSpan.Zero ? TimeSpan.Zero : retryAfter };

    /// <summary>A failure that will not get better.</summary>
    public static DeliveryResult Permanent(string reason) => new(DeliveryStatus.PermanentFailure, reason);
}
