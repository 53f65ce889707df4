namespace Journeys.Language.Expressions;

/// <summary>The per-customer activity aggregates the loaded definitions need: for each event type, the longest
/// <c>count</c> window and whether its last time is read; for each (event type, property) pair a <c>sum</c> reads, the
/// longest window. The runtime keeps exactly these, nothing more.</summary>
internal sealed class ActivityRequirements
{
    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    private readonly List<Slot> _list = [];
    private readonly List<SumSlot> _sums = [];

    internal sealed class Slot(string eventType, int index)
    {
        public string EventType { get; } = eventType;
        public int Index { get; } = index;
        public TimeSpan LongestWindow { get; set; }
        public SortedSet<double> Windows { get; } = [];
        public bool LastSeen { get; set; }
    }

    public IReadOnlyList<Slot> Slots => _list;

    /// <summary>An (event type, numeric property) pair that <c>sum</c> reads, and the longest window read of it.</summary>
    internal sealed class SumSlot(string eventType, string property, int index)
    {
        public string EventType { get; } = eventType;
        public string Property { get; } = property;
        public int Index { get; } = index;
        public TimeSpan LongestWindow { get; set; }
    }

    public IReadOnlyList<SumSlot> Sums => _sums;

    /// <summary>A copy with the same slots at the same indices: definitions compiled against it may add slots and widen
    /// windows without changing this one (or the expressions already compiled against it).</summary>
    public ActivityRequirements Clone()
    {
        var copy = new ActivityRequirements();
        foreach (var slot in _list)
        {
            var s = copy.GetOrAdd(slot.EventType);
            s.LongestWindow = slot.LongestWindow;
            s.Windows.UnionWith(slot.Windows);
            s.LastSeen = slot.LastSeen;
        }

        foreach (var sum in _sums)
        {
            copy._sums.Add(new SumSlot(sum.EventType, sum.Property, sum.Index) { LongestWindow = sum.LongestWindow });
        }

        return copy;
    }

    public int Count => _list.Count;

    public bool TryGetSlot(string eventType, out int slot) => _slots.TryGetValue(eventType, out slot);

    public int RequireCount(string eventType, double days)
    {
        var slot = GetOrAdd(eventType);
        var window = TimeSpan.FromDays(days);
        if (window > slot.LongestWindow)
        {
            slot.LongestWindow = window;
        }

        slot.Windows.Add(days);
        return slot.Index;
    }

    /// <summary>A <c>sum</c> of <paramref name="property"/> over events of <paramref name="eventType"/> in the last
    /// <paramref name="days"/> days: returns its sum slot. The event type gets an activity slot too (no window of its own),
    /// so its events reach the runtime's recording path.</summary>
    public int RequireSum(string eventType, string property, double days)
    {
        GetOrAdd(eventType);
        var sum = _sums.Find(s => s.EventType == eventType && s.Property == property);
        if (sum is null)
        {
            sum = new SumSlot(eventType, property, _sums.Count);
            _sums.Add(sum);
        }

        var window = TimeSpan.FromDays(days);
        if (window > sum.LongestWindow)
        {
            sum.LongestWindow = window;
        }

        return sum.Index;
    }

    public int RequireLastSeen(string eventType)
    {
        var slot = GetOrAdd(eventType);
        slot.LastSeen = true;
        return slot.Index;
    }

    private Slot GetOrAdd(string eventType)
    {
        if (!_slots.TryGetValue(eventType, out var index))
        {
            index = _list.Count;
            _slots.Add(eventType, index);
            _list.Add(new Slot(eventType, index));
        }

        return _list[index];
    }
}
