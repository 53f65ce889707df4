namespace Journeys.Language.Loading;

/// <summary>An activity aggregate the loaded journeys need per customer: the <c>count</c> windows read for an event type
/// and whether its last time is read (<c>lastSeen</c>, <c>inactive</c> entries).</summary>
/// <param name="EventType">The event type.</param>
/// <param name="CountWindowsDays">The distinct windows, in days, that <c>count</c> reads (empty when none).</param>
/// <param name="LastSeen">Whether the time of the newest event is read.</param>
public sealed record ActivityAggregate(string EventType, IReadOnlyList<double> CountWindowsDays, bool LastSeen);
