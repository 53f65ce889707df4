namespace Journeys.State;

/// <summary>A run that keeps what entered it: its case key (a journey with <c>case:</c>), the entering event's properties
/// (what <c>entry.&lt;property&gt;</c> reads), and the next open run of the same journey. Made only for journeys that need
/// one of these; every other run is a plain <see cref="JourneyInstance"/>.</summary>
internal sealed class EnteredRun : JourneyInstance
{
    /// <summary>The case key as text, or null for a journey without cases.</summary>
    public string? CaseKey { get; init; }

    /// <summary>The properties of the event that entered the run (the event's own dictionary, not a copy), or null when the
    /// run was not entered by an event.</summary>
    public IReadOnlyDictionary<string, object?>? EntryProperties { get; init; }

    /// <summary>The next open run of the same journey, in entry order.</summary>
    public JourneyInstance? Next { get; set; }

    /// <summary>The list of runs starting at <paramref name="head"/> with <paramref name="run"/> appended.</summary>
    public static JourneyInstance Append(JourneyInstance? head, JourneyInstance run)
    {
        if (head is null)
        {
            return run;
        }

        var last = head;
        while (last.NextCase is { } next)
        {
            last = next;
        }

        ((EnteredRun)last).Next = run;
        return head;
    }

    /// <summary>The list of runs starting at <paramref name="head"/> without <paramref name="run"/> (the run keeps its own
    /// <see cref="Next"/>, so a caller walking the list from it goes on).</summary>
    public static JourneyInstance? Remove(JourneyInstance? head, JourneyInstance run)
    {
        if (ReferenceEquals(head, run))
        {
            return run.NextCase;
        }

        for (var at = head; at is not null; at = at.NextCase)
        {
            if (ReferenceEquals(at.NextCase, run))
            {
                ((EnteredRun)at).Next = run.NextCase;
                break;
            }
        }

        return head;
    }

    /// <summary>The open run of the list with case key <paramref name="key"/>, or null.</summary>
    public static JourneyInstance? Find(JourneyInstance? head, string key)
    {
        for (var at = head; at is not null; at = at.NextCase)
        {
            if (string.Equals(at.Case, key, StringComparison.Ordinal))
            {
                return at;
            }
        }

        return null;
    }

    /// <summary>How many runs the list holds.</summary>
    public static int Count(JourneyInstance? head)
    {
        var n = 0;
        for (var at = head; at is not null; at = at.NextCase)
        {
            n++;
        }

        return n;
    }
}
