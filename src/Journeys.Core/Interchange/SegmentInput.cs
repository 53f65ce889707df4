using Journeys.State;

namespace Journeys.Interchange;

/// <summary>One line of a Segment-style events file: a track event or an identify, with its line number.</summary>
internal sealed record SegmentInput(int Line, DateTimeOffset Timestamp, CustomerEvent? Event, CustomerProfile? Profile)
{
    public string CustomerId => Event?.CustomerId ?? Profile!.CustomerId;
}
