using Journeys.Persistence;

namespace Journeys.Engine;

/// <summary>The committed clock (<see cref="IJourneyStore.LoadCommittedClockAsync"/>): a time up to which every partition
/// has applied and saved its inputs and timers, kept by the store so that a restarted engine makes up the
/// <c>schedule:</c> occurrences that fell due while no engine ran, and fires none of those it had already fired.</summary>
public sealed partial class JourneyEngine
{
    // The committed clock read at start, then the last one written (UTC ticks; 0: none). Only a later one is written.
    private long _committedTicks;

    /// <summary>How old a missed <c>schedule:</c> occurrence may be and still be made up at start (null: none is); set by
    /// the builder (<see cref="JourneyEngineOptions.ScheduleMakeUp"/>).</summary>
    internal TimeSpan? ScheduleMakeUp { get; init; } = JourneyEngineOptions.DefaultScheduleMakeUp;

    /// <summary>Reads the store's committed clock (once, when the engine opens).</summary>
    private async ValueTask LoadCommittedClockAsync(CancellationToken cancellationToken) =>
        _committedTicks = _store is not null && await _store.LoadCommittedClockAsync(cancellationToken).ConfigureAwait(false) is { } clock
            ? clock.UtcTicks
            : 0;

    /// <summary>Writes <paramref name="ticks"/> as the committed clock when it is later than the one read or written before
    /// (a host whose clock restarts earlier and catches up never moves it back).</summary>
    private async ValueTask CommitClockAsync(long ticks, CancellationToken cancellationToken)
    {
        if (_store is null || ticks <= Volatile.Read(ref _committedTicks))
        {
            return;
        }

        await _store.SaveCommittedClockAsync(new DateTimeOffset(ticks, TimeSpan.Zero), cancellationToken).ConfigureAwait(false);
        long seen;
        do
        {
            seen = Volatile.Read(ref _committedTicks);
        }
        while (ticks > seen && Interlocked.CompareExchange(ref _committedTicks, ticks, seen) != seen);
    }

    /// <summary>The clock committed at a stop: every partition's last save succeeded and its timers due before its next
    /// one (or now) have fired, so the engine is settled up to the earliest of those; null when a save failed.</summary>
    private long? StoppedClock(long now)
    {
        var settled = now;
        foreach (var partition in _partitions)
        {
            if (!partition.SavedAtStop)
            {
                return null;
            }

            if (partition.Processor.NextDueTicks is { } due)
            {
                settled = Math.Min(settled, due - 1);
            }
        }

        return settled;
    }
}
