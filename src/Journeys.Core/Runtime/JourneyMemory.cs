namespace Journeys.Runtime;

/// <summary>Per customer and journey, what outlives an instance: how often they entered and when they last did.</summary>
internal struct JourneyMemory
{
    public int Entries;
    public long LastEntryTicks;
    public long NextDateTicks;       // date entries: the next scheduled occurrence (0: none)
    public long InactivityDueTicks;  // inactive entries: the time the pending check is due (0: none)
    public bool InactivityWaitsForActivity;
    public int WhenFalseAtVersion;          // when entries: StateVersion + 1 at which the condition was last false (0: unknown) // inactive entries: entered (or refused) once; the next check starts at new activity
}
