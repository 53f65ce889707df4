namespace Journeys.Delivery;

/// <summary>How a delivery attempt ended.</summary>
public enum DeliveryStatus
{
    /// <summary>The provider accepted the message.</summary>
    Delivered,

    /// <summary>It failed but may succeed later (timeouts, 5xx, 429).</summary>
    RetryableFailure,

    /// <summary>It failed for good (bad address, 4xx, consent withdrawn at the provider).</summary>
    PermanentFailure,
}
