using Journeys.State;

namespace Journeys.Interchange;

/// <summary>One line of a Segment-style events file: a track event or an identify, with its line number.</summary>
/// <param name="Line">The line's number in the file (1-based); inputs with the same timestamp run in this order.</param>
/// <param name="Timestamp">When it happened: the line's <c>timestamp</c>.</param>
/// <param name="Event">The event of a <c>track</c> line; null for an <c>identify</c>.</param>
/// <param name="Profile">The profile of an <c>identify</c> line; null for a <c>track</c>.</param>
public sealed record SegmentInput(int Line, DateTimeOffset Timestamp, CustomerEvent? Event, CustomerProfile? Profile)
{
    /// <summary>The customer the line is about (its <c>userId</c>).</summary>
    public string CustomerId => Event?.CustomerId ?? Profile!.CustomerId;
}
