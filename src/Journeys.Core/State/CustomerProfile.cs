namespace Journeys.State;

/// <summary>A Segment-style <c>identify</c>: traits to set (a null value removes the trait) and the customer's time zone.</summary>
/// <param name="CustomerId">The customer's id.</param>
/// <param name="Traits">Traits to merge into what the engine knows; null for none.</param>
/// <param name="TimeZone">An IANA time zone id such as <c>Asia/Shanghai</c>; null keeps the current one (UTC at first).</param>
/// <param name="Timestamp">When it happened; null means "now" by the engine's clock.</param>
public sealed record CustomerProfile(
    string CustomerId,
    IReadOnlyDictionary<string, object?>? Traits = null,
    string? TimeZone = null,
    DateTimeOffset? Timestamp = null);
