
namespace Journeys.State;

/// <summary>A customer's recent capped sends: time, channel and journey of each, oldest first. Only sends a cap can still
/// see are kept (older than the longest cap window are dropped on write), so memory per customer stays bounded.
/// <para>Two longs per send in one array of exactly the sends kept — the time, then the channel (high half) and the
/// journey (low half) — replaced on each send (sends are rare next to events), so the log is one reference. A mutable
/// struct held in a field of <see cref="CustomerState"/>: use it through that field, never through a copy.</para></summary>
internal struct SendLog
{
    private long[]? _entries; // null when no send is kept

    public readonly int Length => (_entries?.Length ?? 0) / 2;

    private readonly long TicksAt(int i) => _entries![2 * i];

    private readonly int ChannelAt(int i) => (int)(_entries![(2 * i) + 1] >> 32);

    private readonly int JourneyAt(int i) => (int)_entries![(2 * i) + 1];

    public void Add(long ticks, int channel, int journey, long keepTicks)
    {
        var old = _entries ?? [];
        var dropped = 0;
        while (dropped < old.Length && ticks - old[dropped] >= keepTicks)
        {
            dropped += 2;
        }

        var entries = new long[old.Length - dropped + 2];
        Array.Copy(old, dropped, entries, 0, old.Length - dropped);
        entries[^2] = ticks;
        entries[^1] = ((long)channel << 32) | (uint)journey;
        _entries = entries;
    }

    /// <summary>Sends matching the filters (-1: any) made at <c>s</c> with <c>now - s &lt; window</c>, and the time the
    /// oldest of them stops counting.</summary>
    public readonly (int Count, long OldestExpiresTicks) Count(long nowTicks, long windowTicks, int channel, int journey)
    {
        var n = 0;
        var oldestExpires = long.MaxValue;
        for (var i = 0; i < Length; i++)
        {
            var age = nowTicks - TicksAt(i);
            if (age < 0 || age >= windowTicks || (channel >= 0 && ChannelAt(i) != channel) || (journey >= 0 && JourneyAt(i) != journey))
            {
                continue;
            }

            n++;
            oldestExpires = Math.Min(oldestExpires, CalendarTicks.Add(TicksAt(i), windowTicks));
        }

        return (n, oldestExpires);
    }

    /// <summary>The sends kept, oldest first.</summary>
    public readonly IEnumerable<(long Ticks, int Channel, int Journey)> Entries()
    {
        var entries = _entries ?? [];
        return Enumerable.Range(0, entries.Length / 2).Select(i => (entries[2 * i], (int)(entries[(2 * i) + 1] >> 32), (int)entries[(2 * i) + 1]));
    }
}
