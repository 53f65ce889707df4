namespace Journeys.State;

/// <summary>A customer's activity aggregates: for each tracked event type (a slot chosen at load time), the times of its
/// events inside the longest window any <c>count</c> reads, and the last time it happened. Memory is bounded: times
/// older than the window are dropped on write, and at most <see cref="MaxTimesPerSlot"/> are kept per slot.
/// <para>Layout: everything sits in one <c>long[]</c>, allocated at the first event, so recording or counting an
/// event touches one object: for <c>S</c> slots, per slot <c>s</c> the last time seen at <c>2s</c> (0: never) and a
/// packed descriptor at <c>2s + 1</c> (where its ring starts in the array, its capacity, the ring's first element and
/// its length), then from <c>2S</c> the rings one after another. The windows per slot are the model's, shared by every
/// customer and handed in where they are needed, so the log itself is one reference. A full ring that may grow is moved into a longer array (capacity
/// doubling from 4 up to <see cref="MaxTimesPerSlot"/>); a ring at the cap drops its oldest time. A mutable struct held
/// in a field of <see cref="CustomerState"/>: use it through that field, never through a copy.</para></summary>
internal struct ActivityLog
{
    internal const int MaxTimesPerSlot = 512;
    private const int InitialRing = 4;

    private long[]? _data;

    // A descriptor: bits 0-31 the ring's offset in _data, 32-41 its capacity, 42-51 its first element, 52-61 its length.
    private static long Pack(int offset, int capacity, int start, int length) =>
        (uint)offset | ((long)capacity << 32) | ((long)start << 42) | ((long)length << 52);

    private static (int Offset, int Capacity, int Start, int Length) Unpack(long d) =>
        ((int)(uint)d, (int)((d >> 32) & 0x3FF), (int)((d >> 42) & 0x3FF), (int)((d >> 52) & 0x3FF));

    /// <summary>Records an event of the slot's type at <paramref name="ticks"/>; <paramref name="windows"/>: per slot, the
    /// longest window a count reads, in ticks (0: only the last time is kept).</summary>
    public void Record(ReadOnlySpan<long> windows, int slot, long ticks)
    {
        var data = _data ??= NewData(windows.Length);
        if (ticks > data[2 * slot])
        {
            data[2 * slot] = ticks;
        }

        var window = windows[slot];
        if (window == 0)
        {
            return;
        }

        var (offset, capacity, start, length) = Unpack(data[(2 * slot) + 1]);

        // Trim times that fell out of the window.
        var oldestKept = ticks - window;
        while (length > 0 && data[offset + start] <= oldestKept)
        {
            start = start + 1 == capacity ? 0 : start + 1;
            length--;
        }

        if (length == capacity)
        {
            if (capacity >= MaxTimesPerSlot)
            {
                // Full: drop the oldest; counts saturate at MaxTimesPerSlot within one window.
                start = start + 1 == capacity ? 0 : start + 1;
                length--;
            }
            else
            {
                var grown = capacity == 0 ? InitialRing : Math.Min(capacity * 2, MaxTimesPerSlot);
                data = Grow(windows.Length, slot, grown, offset, capacity, start, length);
                capacity = grown;
                start = 0;
            }
        }

        // Events arrive mostly in time order; keep the ring sorted by inserting from the end.
        var pos = length;
        while (pos > 0 && data[offset + ((start + pos - 1) % capacity)] > ticks)
        {
            data[offset + ((start + pos) % capacity)] = data[offset + ((start + pos - 1) % capacity)];
            pos--;
        }

        data[offset + ((start + pos) % capacity)] = ticks;
        data[(2 * slot) + 1] = Pack(offset, capacity, start, length + 1);
    }

    private static long[] NewData(int slots)
    {
        var data = new long[2 * slots];
        for (var s = 0; s < slots; s++)
        {
            data[(2 * s) + 1] = Pack(2 * slots, 0, 0, 0);
        }

        return data;
    }

    /// <summary>Moves the slot's ring into a longer array with <paramref name="newCapacity"/> places, its times first in
    /// order; the rings after it move along. An empty ring (capacity 0) at the same offset stays before it.</summary>
    private long[] Grow(int slots, int slot, int newCapacity, int offset, int capacity, int start, int length)
    {
        var old = _data!;
        var delta = newCapacity - capacity;
        var data = new long[old.Length + delta];
        Array.Copy(old, data, offset); // last seen, descriptors and the rings before this one
        for (var k = 0; k < length; k++)
        {
            data[offset + k] = old[offset + ((start + k) % capacity)];
        }

        Array.Copy(old, offset + capacity, data, offset + newCapacity, old.Length - offset - capacity);
        for (var s = 0; s < slots; s++)
        {
            var (o, c, st, len) = Unpack(data[(2 * s) + 1]);
            if (o > offset || (o == offset && s != slot && c > 0))
            {
                data[(2 * s) + 1] = Pack(o + delta, c, st, len);
            }
        }

        _data = data;
        return data;
    }

    /// <summary>Events of the slot's type in the window (now - window, now]: two binary searches over the sorted ring, so
    /// the cost does not grow with how busy the customer is.</summary>
    public readonly int Count(int slot, long nowTicks, long windowTicks)
    {
        if (_data is not { } data)
        {
            return 0;
        }

        var (offset, capacity, start, length) = Unpack(data[(2 * slot) + 1]);
        if (length == 0)
        {
            return 0;
        }

        var ring = data.AsSpan(offset, capacity);
        return FirstAfter(ring, start, length, nowTicks) - FirstAfter(ring, start, length, nowTicks - windowTicks);
    }

    /// <summary>The first position (0 = oldest) in the sorted ring whose time is after <paramref name="ticks"/>; the
    /// length when none is.</summary>
    private static int FirstAfter(ReadOnlySpan<long> ring, int start, int length, long ticks)
    {
        int lo = 0, hi = length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            var at = start + mid;
            if (ring[at >= ring.Length ? at - ring.Length : at] <= ticks)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>The times kept for a slot, oldest first (for snapshots).</summary>
    public readonly List<long> Times(int slot)
    {
        var times = new List<long>();
        if (_data is { } data)
        {
            var (offset, capacity, start, length) = Unpack(data[(2 * slot) + 1]);
            for (var k = 0; k < length; k++)
            {
                times.Add(data[offset + ((start + k) % capacity)]);
            }
        }

        return times;
    }

    /// <summary>Restores a slot from a snapshot (<paramref name="windows"/> as for <see cref="Record"/>).</summary>
    public void Restore(ReadOnlySpan<long> windows, int slot, IEnumerable<long> times, long? lastSeen)
    {
        foreach (var t in times)
        {
            Record(windows, slot, t);
        }

        if (lastSeen is > 0 && lastSeen > (_data?[2 * slot] ?? 0))
        {
            (_data ??= NewData(windows.Length))[2 * slot] = lastSeen.Value;
        }
    }

    public readonly long? LastSeen(int slot) => _data is { } data && data[2 * slot] != 0 ? data[2 * slot] : null;

    /// <summary>The array everything sits in, null before the first event (read only to prefetch it).</summary>
    internal readonly long[]? Data => _data;

    /// <summary>The bytes this log holds beyond the struct (for size estimates).</summary>
    public readonly int HeapBytes => _data is null ? 0 : 24 + (8 * _data.Length);
}
