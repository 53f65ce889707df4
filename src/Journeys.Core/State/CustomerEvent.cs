
namespace Journeys.State;

/// <summary>Something a customer did: a Segment-style <c>track</c> event.</summary>
public sealed class CustomerEvent
{
    private static readonly IReadOnlyDictionary<string, object?> NoProperties = new Dictionary<string, object?>();

    /// <summary>Creates an event.</summary>
    /// <param name="customerId">The customer's id.</param>
    /// <param name="type">The event's type (its name), such as <c>order_completed</c>.</param>
    /// <param name="timestamp">When it happened; null means "now" by the engine's clock.</param>
    /// <param name="properties">Its properties (strings, numbers, booleans, timestamps; an array or other collection is a list); null for none.</param>
    public CustomerEvent(string customerId, string type, DateTimeOffset? timestamp = null, IReadOnlyDictionary<string, object?>? properties = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        ArgumentException.ThrowIfNullOrEmpty(type);
        CustomerId = customerId;
        Type = type;
        Timestamp = timestamp;
        Properties = properties ?? NoProperties;
    }

    /// <summary>The customer's id.</summary>
    public string CustomerId { get; }

    /// <summary>The event's type.</summary>
    public string Type { get; }

    /// <summary>When it happened, or null for "now".</summary>
    public DateTimeOffset? Timestamp { get; }

    /// <summary>Its properties.</summary>
    public IReadOnlyDictionary<string, object?> Properties { get; }

    internal Value GetProperty(string name) => Properties.TryGetValue(name, out var v) ? Value.From(v) : Value.Null;

    /// <inheritdoc />
    public override string ToString() => $"{Type} for {CustomerId}";
}
