namespace Journeys.Persistence;

/// <summary>Per customer and journey, what outlives an instance: entries (for re-entry rules and idempotency keys) and
/// the pending entry timers of <c>date</c> and <c>inactive</c> entries.</summary>
/// <param name="JourneyId">The journey's id.</param>
/// <param name="Entries">How many times the customer entered.</param>
/// <param name="LastEntry">The last entry, if any.</param>
/// <param name="NextDate">For <c>date</c> entries: the next occurrence scheduled.</param>
/// <param name="InactivityDue">For <c>inactive</c> entries: when the pending inactivity check is due.</param>
/// <param name="InactivityWaitsForActivity">For <c>inactive</c> entries: the next quiet period starts only at new activity.</param>
internal sealed record JourneyMemorySnapshot(
    string JourneyId,
    int Entries,
    DateTimeOffset? LastEntry,
    DateTimeOffset? NextDate = null,
    DateTimeOffset? InactivityDue = null,
    bool InactivityWaitsForActivity = false)
{
    /// <summary>A journey with <c>case:</c>: per case key, its entries and last entry (re-entry counts per key). Format version 2.</summary>
    public IReadOnlyList<CaseKeySnapshot> Cases { get; init; } = [];
}
