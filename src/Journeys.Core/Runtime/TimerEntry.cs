namespace Journeys.Runtime;

/// <summary>A timer in a partition's queue. Entries are never removed early: a timer whose <see cref="Token"/> no longer
/// matches the customer's state when it comes due is stale and ignored (cheaper than removal from a heap).</summary>
internal readonly record struct TimerEntry(long DueTicks, CustomerState Customer, int Journey, TimerKind Kind, long Token);
