namespace Journeys.Runtime;

/// <summary>Per customer and journey: the active instance, if any, and what outlives instances — how often the customer
/// entered and when they last did, and the pending entry checks. One struct per journey in one array per customer, so
/// a journey's state is one place in memory (40 bytes), not an array of instances beside an array of memories.</summary>
internal struct JourneyMemory
{
    /// <summary>The active instance, or null.</summary>
    public JourneyInstance? Instance;
    public long LastEntryTicks;
    public long NextDateTicks;       // date entries: the next scheduled occurrence (0: none)
    public long InactivityDueTicks;  // inactive entries: the time the pending check is due (0: none)
    public int WhenFalseAtVersion;   // when entries: StateVersion + 1 at which the condition was last false (0: unknown)
    private int _entries;            // the sign bit holds InactivityWaitsForActivity, so the struct stays 40 bytes

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
