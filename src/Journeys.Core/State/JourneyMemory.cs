namespace Journeys.State;

/// <summary>Per customer and journey: the active instance, if any, and what outlives instances — how often the customer
/// entered and when they last did, and the pending entry checks. One struct (32 bytes) per journey the customer has
/// state in, in one array per customer (see <see cref="CustomerState.MemoryOf"/>), so a journey's state is one place in
/// memory, and journeys a customer never touched take none.</summary>
internal struct JourneyMemory
{
    /// <summary>The active instance, or null.</summary>
    public JourneyInstance? Instance;
    public long LastEntryTicks;

    /// <summary>The pending entry check of a timed entry (0: none): for a <c>date</c> entry the next occurrence, for an
    /// <c>inactive</c> entry the time the check is due. A journey has one entry, so one field serves both.</summary>
    public long PendingEntryTicks;
    public int WhenFalseAtVersion;   // when entries: StateVersion + 1 at which the condition was last false (0: unknown)
    private int _entries;            // the sign bit holds InactivityWaitsForActivity, so the struct stays 32 bytes

    /// <summary>How often the customer entered the journey.</summary>
    public int Entries
    {
        readonly get => _entries & int.MaxValue;
        set => _entries = (value & int.MaxValue) | (_entries & int.MinValue);
    }

    /// <summary>Inactive entries: entered (or refused) once; the next check starts at new activity.</summary>
    public bool InactivityWaitsForActivity
    {
        readonly get => _entries < 0;
        set => _entries = value ? _entries | int.MinValue : _entries & int.MaxValue;
    }
}
