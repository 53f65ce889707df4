namespace Journeys.State;

/// <summary>Per customer and journey: the active run, if any, and what outlives runs — how often the customer
/// entered and when they last did, and the pending entry checks. One struct (64 bytes: the inline run is 32 of them) per
/// journey the customer has state in, the first in the customer object, the others in one array per customer (see
/// <see cref="CustomerState.MemoryOf"/>), so a journey's state is one place in memory, and journeys a customer never
/// touched take none. Read the run through <see cref="CustomerState.RunOf"/>.</summary>
internal struct JourneyMemory
{
    /// <summary>The runs kept as objects (<see cref="EnteredRun"/>: cases, entering events), the first of the list, or null.</summary>
    public EnteredRun? Runs;

    /// <summary>A plain run, inline (no object: see <see cref="JourneyInstance"/>); open when <see cref="InlineRun.Live"/>.</summary>
    public InlineRun Run;

    /// <summary>The customer is inside the journey (an open run of either kind).</summary>
    public readonly bool HasRun => Runs is not null || Run.Live;
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
