namespace Journeys.Delivery;

/// <summary>How a delivery attempt ended.</summary>
public enum DeliveryStatus
{
    /// <summary>The provider accepted the message.</summary>
    Delivered,

    /// <summary>It failed but may succeed later: the provider was unreachable, timed out, or said "try later"
    /// (an HTTP 5xx or 429, an SMTP 4xx reply).</summary>
    RetryableFailure,

    /// <summary>It failed for good: the provider refused this message and would again (a bad address, an HTTP 4xx other
    /// than 408/429, an SMTP 5xx reply).</summary>
    PermanentFailure,
}
