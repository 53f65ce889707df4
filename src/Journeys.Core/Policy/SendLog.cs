namespace Journeys.Policy;

/// <summary>A customer's recent capped sends: time, channel and journey of each, oldest first. Only sends a cap can still
/// see are kept (older than the longest cap window are dropped on write), so memory per customer stays bounded.</summary>
internal sealed class SendLog
{
    // Two longs per send, in a ring: the time, then the channel (high half) and the journey (low half).
    private long[] _entries = new long[2 * 2];
    private int _start;
    private int _count;

    public int Length => _count;

    private int Capacity => _entries.Length / 2;

    private long TicksAt(int i) => _entries[2 * i];

    private int ChannelAt(int i) => (int)(_entries[(2 * i) + 1] >> 32);

    private int JourneyAt(int i) => (int)_entries[(2 * i) + 1];

    public void Add(long ticks, int channel, int journey, long keepTicks)
    {
        while (_count > 0 && ticks - TicksAt(_start) >= keepTicks)
        {
            _start = (_start + 1) % Capacity;
            _count--;
        }

        if (_count == Capacity)
        {
            Grow();
        }

        var at = (_start + _count) % Capacity;
        _entries[2 * at] = ticks;
        _entries[(2 * at) + 1] = ((long)channel << 32) | (uint)journey;
        _count++;
    }

    private void Grow()
    {
        var grown = new long[_entries.Length * 2];
        for (var k = 0; k < _count; k++)
        {
            var from = (_start + k) % Capacity;
            grown[2 * k] = _entries[2 * from];
            grown[(2 * k) + 1] = _entries[(2 * from) + 1];
        }

        (_entries, _start) = (grown, 0);
    }

    /// <summary>Sends matching the filters (-1: any) made at <c>s</c> with <c>now - s &lt; window</c>, and the time the
    /// oldest of them stops counting.</summary>
    public (int Count, long OldestExpiresTicks) Count(long nowTicks, long windowTicks, int channel, int journey)
    {
        var n = 0;
        var oldestExpires = long.MaxValue;
        for (var k = 0; k < _count; k++)
        {
            var i = (_start + k) % Capacity;
            var age = nowTicks - TicksAt(i);
            if (age < 0 || age >= windowTicks || (channel >= 0 && ChannelAt(i) != channel) || (journey >= 0 && JourneyAt(i) != journey))
            {
                continue;
            }

            n++;
            oldestExpires = Math.Min(oldestExpires, TicksAt(i) + windowTicks);
        }

        return (n, oldestExpires);
    }

    public IEnumerable<(long Ticks, int Channel, int Journey)> Entries()
    {
        for (var k = 0; k < _count; k++)
        {
            var i = (_start + k) % Capacity;
            yield return (TicksAt(i), ChannelAt(i), JourneyAt(i));
        }
    }
}
