using Journeys.Persistence;

namespace Journeys.Engine;

/// <summary>The rules of <see cref="JourneyEngine.MergeCustomersAsync"/>, on snapshots: the merged customer's state
/// folded into the kept one's. See docs/operations.md (merging two ids) for why each rule is what it is.</summary>
internal static class CustomerMerge
{
    /// <summary>The folded state, and which of the merged customer's runs moved over or were dropped.</summary>
    public sealed record Outcome(CustomerSnapshot Folded, IReadOnlyList<string> RunsMoved, IReadOnlyList<string> RunsDropped);

    /// <summary>Folds <paramref name="merged"/> into <paramref name="keep"/> (null: the kept id has no state yet, and takes
    /// the merged state whole, time zone included).</summary>
    public static Outcome Fold(CustomerSnapshot? keep, string keepId, CustomerSnapshot merged)
    {
        keep ??= new CustomerSnapshot { Id = keepId, TimeZone = merged.TimeZone, FirstSeen = merged.FirstSeen };

        // Traits: the kept customer's values win; the merged one's fill in the traits the kept one lacks.
        var traits = new Dictionary<string, object?>(merged.Traits, StringComparer.Ordinal);
        foreach (var (name, value) in keep.Traits)
        {
            traits[name] = value;
        }

        // Entry history per journey: entries summed (re-entry rules count both ids' entries), the later last entry, the
        // kept customer's pending date check else the merged one's, the earlier pending inactivity check (it re-reads the
        // merged activity when it fires and waits again if there was activity since).
        var keepMemory = keep.Journeys.ToDictionary(m => m.JourneyId, StringComparer.Ordinal);
        var mergedMemory = merged.Journeys.ToDictionary(m => m.JourneyId, StringComparer.Ordinal);
        var journeys = new List<JourneyMemorySnapshot>();
        foreach (var id in keepMemory.Keys.Union(mergedMemory.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var k = keepMemory.GetValueOrDefault(id);
            var m = mergedMemory.GetValueOrDefault(id);
            journeys.Add(new JourneyMemorySnapshot(id, (k?.Entries ?? 0) + (m?.Entries ?? 0), Max(k?.LastEntry, m?.LastEntry),
                k?.NextDate ?? m?.NextDate, Min(k?.InactivityDue, m?.InactivityDue), k?.InactivityWaitsForActivity ?? m!.InactivityWaitsForActivity));
        }

        // Runs: both kept, except in the same journey, where the kept customer's run stays and the merged one's is dropped
        // (with the sends it held). A run that moves over is renumbered after the kept customer's entries of that journey,
        // so its idempotency keys (which carry the entry number and now the kept id) never repeat one the kept id used.
        int Offset(string journeyId) => keepMemory.GetValueOrDefault(journeyId)?.Entries ?? 0;
        var runs = keep.Instances.ToList();
        var moved = new List<string>();
        var dropped = new List<string>();
        foreach (var run in merged.Instances)
        {
            if (keep.Instances.Any(i => i.JourneyId == run.JourneyId))
            {
                dropped.Add(run.JourneyId);
                continue;
            }

            runs.Add(run with { Sequence = run.Sequence + Offset(run.JourneyId) });
            moved.Add(run.JourneyId);
        }

        var deferred = keep.Deferred.Concat(merged.Deferred.Where(d => moved.Contains(d.JourneyId))
            .Select(d => d with { Sequence = d.Sequence + Offset(d.JourneyId) })).ToList();

        // Caps: the sends of both count (the person received them all); activity: both ids' events, in time order.
        var sends = keep.Sends.Concat(merged.Sends).OrderBy(s => s.At).ToList();
        var activity = keep.Activity.Concat(merged.Activity).GroupBy(a => a.EventType, StringComparer.Ordinal)
            .Select(g => new ActivitySnapshot(g.Key, g.SelectMany(a => a.Times).Order().ToList(), g.Max(a => a.LastSeen))).ToList();

        return new Outcome(keep with
        {
            FirstSeen = Min(keep.FirstSeen, merged.FirstSeen),
            Traits = traits,
            Journeys = journeys,
            Instances = runs,
            Deferred = deferred,
            Sends = sends,
            Activity = activity,
        }, moved, dropped);
    }

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;
}
