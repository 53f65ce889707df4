namespace Journeys.Persistence;

/// <summary>A customer's amounts of one (event type, property) pair that <c>sum</c> reads.</summary>
/// <param name="EventType">The event type.</param>
/// <param name="Property">The numeric property summed.</param>
/// <param name="Entries">Each event's time and amount inside the longest window read (oldest first).</param>
internal sealed record SumSnapshot(string EventType, string Property, IReadOnlyList<(DateTimeOffset At, double Amount)> Entries);
