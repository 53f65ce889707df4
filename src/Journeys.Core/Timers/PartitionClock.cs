namespace Journeys.Timers;

/// <summary>A partition's time: the latest time any input or timer was applied at. It never goes backwards, whatever
/// order callers' clocks were read in. One per partition, shared by its stages (single-threaded, no lock).</summary>
internal sealed class PartitionClock
{
    /// <summary>The partition's time, in UTC ticks.</summary>
    public long Ticks { get; private set; }

    /// <summary>Moves the clock to <paramref name="ticks"/> if that is later; returns the clock.</summary>
    public long AdvanceTo(long ticks) => Ticks = Math.Max(Ticks, ticks);
}
