namespace Journeys.Delivery;

/// <summary>The outcome of <see cref="IChannel.SendAsync"/>.</summary>
/// <param name="Status">Delivered, retryable or permanent failure.</param>
/// <param name="Reason">For failures: why, in words an operator understands.</param>
public readonly record struct DeliveryResult(DeliveryStatus Status, string? Reason = null)
{
    /// <summary>The message was delivered.</summary>
    public static DeliveryResult Delivered { get; } = new(DeliveryStatus.Delivered);

    /// <summary>A failure worth retrying.</summary>
    public static DeliveryResult Retry(string reason) => new(DeliveryStatus.RetryableFailure, reason);

    /// <summary>A failure that will not get better.</summary>
    public static DeliveryResult Permanent(string reason) => new(DeliveryStatus.PermanentFailure, reason);
}
