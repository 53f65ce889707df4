namespace Journeys.State;

/// <summary>A run kept as an object because it keeps what entered it: its case key (a journey with <c>case:</c>), the
/// entering event's properties (what <c>entry.&lt;property&gt;</c> reads), and the next open run of the same journey.
/// Made only for journeys that need one of these; every other run is inline in its <see cref="JourneyMemory"/>
/// (<see cref="InlineRun"/>). Read and changed through a <see cref="JourneyInstance"/> handle.</summary>
internal sealed class EnteredRun
{
    /// <summary>A run at its entry (step 0, no arrival yet).</summary>
    public EnteredRun(int version, int sequence, long enteredTicks) => State = new InlineRun(version, sequence, enteredTicks);

    /// <summary>The run's state, held as a plain run holds it inline (version, entry, step, arrival, conversion).</summary>
    public InlineRun State;

    /// <summary>A number unique per customer and journey (1 for the first entry), part of idempotency keys.</summary>
    public int Sequence => State.Sequence;

    /// <summary>The case key as text, or null for a journey without cases.</summary>
    public string? CaseKey { get; init; }

    /// <summary>The properties of the event that entered the run (the event's own dictionary, not a copy), or null when the
    /// run was not entered by an event.</summary>
    public IReadOnlyDictionary<string, object?>? EntryProperties { get; init; }

    /// <summary>The next open run of the same journey, in entry order.</summary>
    public EnteredRun? Next { get; set; }

    /// <summary>The list of runs starting at <paramref name="head"/> with <paramref name="run"/> appended.</summary>
    public static EnteredRun Append(EnteredRun? head, EnteredRun run)
    {
        if (head is null)
        {
            return run;
        }

        var last = head;
        while (last.Next is { } next)
        {
            last = next;
        }

        last.Next = run;
        return head;
    }

    /// <summary>The list of runs starting at <paramref name="head"/> without <paramref name="run"/> (the run keeps its own
    /// <see cref="Next"/>, so a caller walking the list from it goes on).</summary>
    public static EnteredRun? Remove(EnteredRun? head, EnteredRun run)
    {
        if (ReferenceEquals(head, run))
        {
            return run.Next;
        }

        for (var at = head; at is not null; at = at.Next)
        {
            if (ReferenceEquals(at.Next, run))
            {
                at.Next = run.Next;
                break;
            }
        }

        return head;
    }

    /// <summary>The open run of the list with case key <paramref name="key"/>, or null.</summary>
    public static EnteredRun? Find(EnteredRun? head, string key)
    {
        for (var at = head; at is not null; at = at.Next)
        {
            if (string.Equals(at.CaseKey, key, StringComparison.Ordinal))
            {
                return at;
            }
        }

        return null;
    }

    /// <summary>How many runs the list holds.</summary>
    public static int Count(EnteredRun? head)
    {
        var n = 0;
        for (var at = head; at is not null; at = at.Next)
        {
            n++;
        }

        return n;
    }
}
