namespace Journeys.Persistence;

/// <summary>Everything the engine needs to resume one customer: traits, time zone, journey instances, what outlives
/// them (entries, last entry), and the activity aggregates the journeys read. Immutable.</summary>
internal sealed record CustomerSnapshot
{
    /// <summary>The customer's id.</summary>
    public required string Id { get; init; }

    /// <summary>The IANA time zone id.</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>When the engine first saw the customer.</summary>
    public DateTimeOffset? FirstSeen { get; init; }

    /// <summary>Traits: strings, numbers (double), booleans, timestamps (DateTimeOffset).</summary>
    public IReadOnlyDictionary<string, object?> Traits { get; init; } = new Dictionary<string, object?>();

    /// <summary>The journeys the customer is inside.</summary>
    public IReadOnlyList<InstanceSnapshot> Instances { get; init; } = [];

    /// <summary>Per journey with history: entries and pending entry timers.</summary>
    public IReadOnlyList<JourneyMemorySnapshot> Journeys { get; init; } = [];

    /// <summary>Recent marketing sends that frequency caps still count.</summary>
    public IReadOnlyList<SentSnapshot> Sends { get; init; } = [];

    /// <summary>Sends waiting for quiet hours to end or a cap to free a slot.</summary>
    public IReadOnlyList<DeferredSnapshot> Deferred { get; init; } = [];

    /// <summary>Per tracked event type: the times inside the longest window read, and the last time seen.</summary>
    public IReadOnlyList<ActivitySnapshot> Activity { get; init; } = [];

    /// <summary>Per (event type, property) pair a <c>sum</c> reads: the amounts inside the longest window read.</summary>
    public IReadOnlyList<SumSnapshot> Sums { get; init; } = [];
}
