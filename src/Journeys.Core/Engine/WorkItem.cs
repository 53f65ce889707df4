namespace Journeys.Engine;

/// <summary>What a partition's queue carries: an event, a profile update, a timer tick or a drain barrier, with the
/// engine time read when it was enqueued (so a worker behind the clock still applies each item at its own time).</summary>
internal readonly record struct WorkItem(WorkKind Kind, object? Payload, long NowTicks);
