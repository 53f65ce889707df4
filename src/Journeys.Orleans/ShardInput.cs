using Journeys.State;

namespace Journeys.Orleans;

/// <summary>One input as a grain call carries it: an event (<see cref="Type"/> set) or a profile update. Property and
/// trait values must be what the engine accepts (strings, numbers, booleans, timestamps), which Orleans serializes.</summary>
[GenerateSerializer]
[Immutable]
internal sealed class ShardInput
{
    [Id(0)] public required string CustomerId { get; init; }
    [Id(1)] public string? Type { get; init; }
    [Id(2)] public DateTimeOffset? Timestamp { get; init; }
    [Id(3)] public Dictionary<string, object?>? Values { get; init; }
    [Id(4)] public string? TimeZone { get; init; }

    public static ShardInput Of(CustomerEvent e) => new()
    {
        CustomerId = e.CustomerId,
        Type = e.Type,
        Timestamp = e.Timestamp,
        Values = e.Properties.Count == 0 ? null : new Dictionary<string, object?>(e.Properties, StringComparer.Ordinal),
    };

    public static ShardInput Of(CustomerProfile p) => new()
    {
        CustomerId = p.CustomerId,
        Timestamp = p.Timestamp,
        Values = p.Traits is null ? null : new Dictionary<string, object?>(p.Traits, StringComparer.Ordinal),
        TimeZone = p.TimeZone,
    };

    public CustomerEvent ToEvent() => new(CustomerId, Type!, Timestamp, Values);

    public CustomerProfile ToProfile() => new(CustomerId, Values, TimeZone, Timestamp);
}
