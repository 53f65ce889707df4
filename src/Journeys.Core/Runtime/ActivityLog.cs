namespace Journeys.Runtime;

/// <summary>A customer's activity aggregates: for each tracked event type (a slot chosen at load time), the times of its
/// events inside the longest window any <c>count</c> reads, and the last time it happened. Memory is bounded: times
/// older than the window are dropped on write, and at most <see cref="MaxTimesPerSlot"/> are kept per slot.</summary>
internal sealed class ActivityLog
{
    internal const int MaxTimesPerSlot = 512;

    private readonly long[] _windows;   // per slot: longest count window in ticks (0: not counted)
    private readonly long[][] _times;   // per slot: ring of event times, oldest first from _start
    private readonly int[] _start;
    private readonly int[] _length;
    private readonly long[] _lastSeen;  // per slot: 0 when never

    public ActivityLog(long[] windows)
    {
        _windows = windows;
        _times = new long[windows.Length][];
        _start = new int[windows.Length];
        _length = new int[windows.Length];
        _lastSeen = new long[windows.Length];
    }

    public void Record(int slot, long ticks)
    {
        if (ticks > _lastSeen[slot])
        {
            _lastSeen[slot] = ticks;
        }

        var window = _windows[slot];
        if (window == 0)
        {
            return;
        }

        Trim(slot, ticks - window);
        var times = _times[slot];
        if (times is null || _length[slot] == times.Length)
        {
            if (times is not null && times.Length >= MaxTimesPerSlot)
            {
                // Full: drop the oldest; counts saturate at MaxTimesPerSlot within one window.
                _start[slot] = (_start[slot] + 1) % times.Length;
                _length[slot]--;
            }
            else
            {
                var grown = new long[times is null ? 4 : Math.Min(times.Length * 2, MaxTimesPerSlot)];
                for (var k = 0; k < _length[slot]; k++)
                {
                    grown[k] = times![(_start[slot] + k) % times.Length];
                }

                _times[slot] = times = grown;
                _start[slot] = 0;
            }
        }

        // Events arrive mostly in time order; keep the ring sorted by inserting from the end.
        var len = _length[slot];
        var pos = len;
        while (pos > 0 && times[(_start[slot] + pos - 1) % times.Length] > ticks)
        {
            times[(_start[slot] + pos) % times.Length] = times[(_start[slot] + pos - 1) % times.Length];
            pos--;
        }

        times[(_start[slot] + pos) % times.Length] = ticks;
        _length[slot] = len + 1;
    }

    private void Trim(int slot, long oldestKept)
    {
        var times = _times[slot];
        while (_length[slot] > 0 && times[_start[slot]] <= oldestKept)
        {
            _start[slot] = (_start[slot] + 1) % times.Length;
            _length[slot]--;
        }
    }

    /// <summary>Events of the slot's type in the window (now - window, now].</summary>
    public int Count(int slot, long nowTicks, long windowTicks)
    {
        var times = _times[slot];
        if (times is null)
        {
            return 0;
        }

        var from = nowTicks - windowTicks;
        var n = 0;
        for (var k = _length[slot] - 1; k >= 0; k--)
        {
            var t = times[(_start[slot] + k) % times.Length];
            if (t <= from)
            {
                break;
            }

            if (t <= nowTicks)
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>The times kept for a slot, oldest first (for snapshots).</summary>
    public IEnumerable<long> Times(int slot)
    {
        var times = _times[slot];
        for (var k = 0; k < _length[slot]; k++)
        {
            yield return times![(_start[slot] + k) % times.Length];
        }
    }

    /// <summary>Restores a slot from a snapshot.</summary>
    public void Restore(int slot, IEnumerable<long> times, long? lastSeen)
    {
        foreach (var t in times)
        {
            Record(slot, t);
        }

        _lastSeen[slot] = Math.Max(_lastSeen[slot], lastSeen ?? 0);
    }

    public long? LastSeen(int slot) => _lastSeen[slot] == 0 ? null : _lastSeen[slot];
}
