using Journeys.Compilation;
using Journeys.Decisions;
using Journeys.Inspection;
using Journeys.Language.Definitions;
using Journeys.State;

namespace Journeys.Interpretation;

/// <summary>Cases (<c>case:</c>): several runs of one journey per customer, one per key. An event reaches the open run
/// whose key equals the key expression on that event, or every open run when the expression is null there; an entering
/// event with a key no open run has starts a new run, within <c>maxCases</c> and the journey's <c>reentry</c> rule, which
/// counts per key. Only journeys with <c>case:</c> come here: the others' per-event path is untouched.</summary>
internal sealed partial class JourneyInterpreter
{
    private void HandleCaseEvent(CustomerState customer, CompiledJourney journey, CustomerEvent e, long now)
    {
        var key = CaseKeyOf(journey);
        var reached = false;
        for (var at = customer.RunOf(journey.Index); at is { } run;)
        {
            var next = run.NextCase; // kept by a run that ends while the event reaches it
            if (key is null || string.Equals(run.Case, key, StringComparison.Ordinal))
            {
                reached |= key is not null;
                ReachRun(customer, journey, run, e, now);
            }

            at = next;
        }

        if (journey.Entry != EntryKind.On || journey.EntryEvent != e.Type || !journey.AcceptsEntries || reached ||
            (key is not null && OpenInRetiredVersion(customer, journey, key)))
        {
            return; // not an entering event, or its key's run is open: it reached that run like any event
        }

        var start = journey.Steps[journey.Start].Name;
        if (journey.EntryGuard is not null && !Holds(journey.EntryGuard, customer, journey, journey.Version, start, now))
        {
            return;
        }

        if (key is null)
        {
            decisions.Emit(now, customer, journey, journey.Version, start, DecisionKind.Failed, reason: journey.NoCaseReason);
            return;
        }

        if (!MayEnterCase(customer, journey, key, now))
        {
            return; // the key's re-entry rule: refused silently, as any re-entry the rule does not allow
        }

        if (EnteredRun.Count(customer.MemoryOf(journey.Index).Runs) >= journey.MaxCases)
        {
            decisions.Emit(now, customer, journey, journey.Version, start, DecisionKind.Failed, reason: journey.MaxCasesReason, caseKey: key);
            return;
        }

        (customer.Cases ??= new CaseHistory()).Entered(journey.Index, key, now);
        Enter(customer, journey, now, e, key);
    }

    /// <summary>The case key of the event at hand as text (numbers as the shortest text that reads back, so <c>7</c> and
    /// <c>"7"</c> are one case), or null when the expression is null or empty text there.</summary>
    private string? CaseKeyOf(CompiledJourney journey)
    {
        var value = journey.CaseKey!.Evaluate(ctx);
        return value.Kind == ValueKind.Null || value.ToString() is not { Length: > 0 } text ? null : text;
    }

    /// <summary>An older version of the journey that customers finish on still has the key's run open.</summary>
    private static bool OpenInRetiredVersion(CustomerState customer, CompiledJourney journey, string key)
    {
        foreach (var retired in journey.Retired)
        {
            if (EnteredRun.Find(customer.MemoryOf(retired).Runs, key) is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The journey's <c>reentry</c> rule, for one key: <c>never</c> allows a key once, a gap counts from the key's
    /// last entry.</summary>
    private static bool MayEnterCase(CustomerState customer, CompiledJourney journey, string key, long now)
    {
        var (entries, last) = customer.Cases?.Of(journey.Index, key) ?? (0, 0);
        return entries == 0 || journey.ReentryKind switch
        {
            ReentryKind.Always => true,
            ReentryKind.AfterGap => now - last >= journey.ReentryGapTicks,
            _ => false,
        };
    }
}
