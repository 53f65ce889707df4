namespace Journeys.Persistence;

/// <summary>A customer's activity of one event type, as far as the journeys read it.</summary>
/// <param name="EventType">The event type.</param>
/// <param name="Times">The times inside the longest <c>count</c> window (oldest first).</param>
/// <param name="LastSeen">The newest event's time, if any.</param>
internal sealed record ActivitySnapshot(string EventType, IReadOnlyList<DateTimeOffset> Times, DateTimeOffset? LastSeen);
