namespace Journeys.State;

/// <summary>A customer's amounts for <c>sum('type', 'property', days)</c>: per sum slot (an event type and a numeric
/// property, chosen at load time from the expressions that call <c>sum</c>), the time and amount of each event inside the
/// longest window any <c>sum</c> of that pair reads. Bounded like <see cref="ActivityLog"/>: amounts older than the window
/// are dropped on write, and at most <see cref="ActivityLog.MaxTimesPerSlot"/> are kept per slot (past that the oldest
/// drops). Null until the customer's first event of a summed type, so a model without <c>sum</c> keeps nothing here. A
/// mutable struct held in a field of <see cref="CustomerState"/>: use it through that field, never through a copy.</summary>
internal struct PropertySums
{
    private Ring?[]? _rings;

    /// <summary>One slot's amounts, oldest first, in a ring of parallel arrays.</summary>
    private sealed class Ring
    {
        public long[] Times = new long[4];
        public double[] Amounts = new double[4];
        public int Start;
        public int Length;

        public int Capacity => Times.Length;

        public long TimeAt(int k) => Times[(Start + k) % Capacity];

        public double AmountAt(int k) => Amounts[(Start + k) % Capacity];
    }

    /// <summary>Records an event's amount for the slot: <paramref name="windows"/> per slot, the longest window read, in
    /// ticks. A value that is not a finite number (missing, null, text) counts 0, so nothing is kept for it.</summary>
    public void Record(ReadOnlySpan<long> windows, int slot, long ticks, Value amount)
    {
        if (amount.Kind != ValueKind.Number || !double.IsFinite(amount.AsNumber) || amount.AsNumber == 0)
        {
            return;
        }

        var rings = _rings ??= new Ring?[windows.Length];
        var ring = rings[slot] ??= new Ring();

        // Drop amounts that fell out of the window.
        var oldestKept = ticks - windows[slot];
        while (ring.Length > 0 && ring.TimeAt(0) <= oldestKept)
        {
            ring.Start = (ring.Start + 1) % ring.Capacity;
            ring.Length--;
        }

        if (ring.Length == ring.Capacity)
        {
            if (ring.Capacity >= ActivityLog.MaxTimesPerSlot)
            {
                ring.Start = (ring.Start + 1) % ring.Capacity; // full: the oldest drops
                ring.Length--;
            }
            else
            {
                Grow(ring, Math.Min(ring.Capacity * 2, ActivityLog.MaxTimesPerSlot));
            }
        }

        // Events arrive mostly in time order: keep the ring sorted by inserting from the end.
        var pos = ring.Length;
        while (pos > 0 && ring.TimeAt(pos - 1) > ticks)
        {
            var to = (ring.Start + pos) % ring.Capacity;
            var from = (ring.Start + pos - 1) % ring.Capacity;
            ring.Times[to] = ring.Times[from];
            ring.Amounts[to] = ring.Amounts[from];
            pos--;
        }

        var at = (ring.Start + pos) % ring.Capacity;
        ring.Times[at] = ticks;
        ring.Amounts[at] = amount.AsNumber;
        ring.Length++;
    }

    private static void Grow(Ring ring, int capacity)
    {
        var times = new long[capacity];
        var amounts = new double[capacity];
        for (var k = 0; k < ring.Length; k++)
        {
            times[k] = ring.TimeAt(k);
            amounts[k] = ring.AmountAt(k);
        }

        (ring.Times, ring.Amounts, ring.Start) = (times, amounts, 0);
    }

    /// <summary>The sum of the slot's amounts in the window (now - window, now]; 0 when there are none.</summary>
    public readonly double Sum(int slot, long nowTicks, long windowTicks)
    {
        if (_rings?[slot] is not { } ring)
        {
            return 0;
        }

        var total = 0.0;
        for (var k = 0; k < ring.Length; k++)
        {
            var t = ring.TimeAt(k);
            if (t > nowTicks - windowTicks && t <= nowTicks)
            {
                total += ring.AmountAt(k);
            }
        }

        return total;
    }

    /// <summary>The slot's times and amounts kept, oldest first (for snapshots).</summary>
    public readonly List<(long Ticks, double Amount)> Entries(int slot)
    {
        var entries = new List<(long, double)>();
        if (_rings?[slot] is { } ring)
        {
            for (var k = 0; k < ring.Length; k++)
            {
                entries.Add((ring.TimeAt(k), ring.AmountAt(k)));
            }
        }

        return entries;
    }

    /// <summary>Restores a slot from a snapshot (<paramref name="windows"/> as for <see cref="Record"/>).</summary>
    public void Restore(ReadOnlySpan<long> windows, int slot, IEnumerable<(long Ticks, double Amount)> entries)
    {
        foreach (var (ticks, amount) in entries)
        {
            Record(windows, slot, ticks, Value.Number(amount));
        }
    }
}
