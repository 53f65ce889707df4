using Journeys.Decisions;
using Journeys.Inspection;

namespace Journeys.Analytics;

/// <summary>Counts decisions per journey, step and split branch: the one counter behind <c>journeys report</c>, the
/// sample's table and the dashboard. Feed it every decision of a run (<see cref="Add"/>, from a simulation's list or an
/// engine's <c>Decisions</c> observable) and ask for a <see cref="Report"/> at any time. Safe to feed from several
/// threads (partitions publish in parallel); it is an observer, off the engine's per-event path.</summary>
/// <remarks>What each column counts is on <see cref="FunnelRow"/>: every count is a count of the decisions
/// <c>journeys simulate</c> prints for the same input. For a split it keeps, per customer and journey, the branches the
/// current run took, until the run ends, so it can attribute the goal to them; journeys without a split cost nothing
/// per customer.</remarks>
public sealed class JourneyFunnel
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Journey, string Step), StepCounts> _steps = new();
    private readonly Dictionary<string, long> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Journey, string Step, string Branch), BranchCounts> _branches = new();
    private readonly Dictionary<(string Customer, string Journey), List<BranchCounts>> _runs = new();
    private readonly List<string> _journeysSeen = [];
    private long _decisions;

    /// <summary>How many decisions were added.</summary>
    public long Decisions
    {
        get
        {
            lock (_gate)
            {
                return _decisions;
            }
        }
    }

    /// <summary>Counts one decision.</summary>
    public void Add(JourneyDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        lock (_gate)
        {
            _decisions++;
            var counts = StepOf(decision.JourneyId, decision.Step);
            var run = (decision.CustomerId, decision.Case is null ? decision.JourneyId : decision.JourneyId + "\n" + decision.Case); // a case is a run of its own
            switch (decision.Kind)
            {
                case DecisionKind.Entered:
                    counts.Arrived++;
                    _entries[decision.JourneyId] = _entries.GetValueOrDefault(decision.JourneyId) + 1;
                    _runs.Remove(run); // a new run: the branches of an earlier one are not this one's
                    break;
                case DecisionKind.Moved when decision.Why?.Kind is ReasonKind.Migrated or ReasonKind.VersionChanged:
                    break; // the same step of another version: not an arrival
                case DecisionKind.Moved:
                    counts.Arrived++;
                    if (decision.Why is { Kind: ReasonKind.Split } && decision.From is { } from)
                    {
                        TookBranch(run, decision.JourneyId, from, decision.Step);
                    }

                    break;
                case DecisionKind.Sent:
                    counts.Sent++;
                    break;
                case DecisionKind.Suppressed:
                    counts.Suppressed++;
                    var reason = decision.Reason ?? "";
                    counts.SuppressedBy[reason] = counts.SuppressedBy.GetValueOrDefault(reason) + 1;
                    break;
                case DecisionKind.Deferred:
                    counts.Deferred++;
                    break;
                case DecisionKind.Failed when IsCall(decision):
                    counts.CallsFailed++;
                    break;
                case DecisionKind.Failed:
                    counts.Failed++;
                    break;
                case DecisionKind.Called:
                    counts.Called++;
                    break;
                case DecisionKind.Goal:
                    counts.Goal++;
                    if (_runs.Remove(run, out var taken))
                    {
                        taken.ForEach(b => b.Goal++); // once per run: the run's branches are forgotten with it
                    }

                    break;
                case DecisionKind.Exited:
                    if (decision.Why?.Kind != ReasonKind.Goal)
                    {
                        counts.Exited++;
                    }

                    _runs.Remove(run);
                    break;
                case DecisionKind.Completed:
                    counts.Completed++;
                    _runs.Remove(run);
                    break;
            }
        }
    }

    /// <summary>Counts each of <paramref name="decisions"/>.</summary>
    public void AddRange(IEnumerable<JourneyDecision> decisions)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        foreach (var decision in decisions)
        {
            Add(decision);
        }
    }

    /// <summary>The counts so far, as rows in the order of <paramref name="journeys"/> (a catalog's
    /// <c>Journeys</c>: every journey and step listed there has a row, counted or not); journeys and steps seen in
    /// decisions but not listed come after, in the order they were first seen.</summary>
    public FunnelReport Report(IEnumerable<JourneyInfo> journeys)
    {
        ArgumentNullException.ThrowIfNull(journeys);
        var listed = journeys.ToList();
        lock (_gate)
        {
            var rows = new List<FunnelRow>();
            var branches = new List<BranchRow>();
            var ids = listed.Select(j => j.Id).Concat(_journeysSeen).Distinct(StringComparer.Ordinal).ToList();
            foreach (var id in ids)
            {
                var versions = listed.Where(j => j.Id == id).ToList();
                var steps = versions.SelectMany(j => j.Steps.Select(s => s.Name))
                    .Concat(_steps.Where(kv => kv.Key.Journey == id).OrderBy(kv => kv.Value.Seen).Select(kv => kv.Key.Step))
                    .Distinct(StringComparer.Ordinal)
                    .Select(step => (Step: step, Counts: _steps.GetValueOrDefault((id, step)) ?? new StepCounts(0)))
                    .ToList();
                rows.Add(JourneyRow(id, _entries.GetValueOrDefault(id), steps.Select(s => s.Counts).ToList()));
                rows.AddRange(steps.Select(s => s.Counts.ToRow(id, s.Step)));
                branches.AddRange(Branches(id, versions));
            }

            return new FunnelReport(rows, branches);
        }
    }

    /// <summary>Whether a <c>failed</c> decision is a call's that gave up: it names the action in
    /// <see cref="JourneyDecision.Channel"/> and has no template, where a send's names its channel and template and the
    /// other failures (a rule, a case, an emit chain) name no channel.</summary>
    internal static bool IsCall(JourneyDecision decision) => decision.Channel is not null && decision.Template is null;

    private StepCounts StepOf(string journey, string step)
    {
        if (!_steps.TryGetValue((journey, step), out var counts))
        {
            _steps[(journey, step)] = counts = new StepCounts(_steps.Count);
            if (!_journeysSeen.Contains(journey, StringComparer.Ordinal))
            {
                _journeysSeen.Add(journey);
            }
        }

        return counts;
    }

    private void TookBranch((string, string) run, string journey, string step, string branch)
    {
        if (!_branches.TryGetValue((journey, step, branch), out var counts))
        {
            _branches[(journey, step, branch)] = counts = new BranchCounts(_branches.Count);
        }

        counts.Arrived++;
        if (!_runs.TryGetValue(run, out var taken))
        {
            _runs[run] = taken = [];
        }

        taken.Add(counts);
    }

    private static FunnelRow JourneyRow(string id, long entries, List<StepCounts> steps) => new()
    {
        Journey = id,
        Step = null,
        Arrived = entries,
        Sent = steps.Sum(s => s.Sent),
        Suppressed = steps.Sum(s => s.Suppressed),
        Deferred = steps.Sum(s => s.Deferred),
        Failed = steps.Sum(s => s.Failed),
        Called = steps.Sum(s => s.Called),
        CallsFailed = steps.Sum(s => s.CallsFailed),
        Goal = steps.Sum(s => s.Goal),
        Exited = steps.Sum(s => s.Exited),
        Completed = steps.Sum(s => s.Completed),
        Conversion = entries == 0 ? null : (double)steps.Sum(s => s.Goal) / entries,
        SuppressedBy = steps.SelectMany(s => s.SuppressedBy).GroupBy(kv => kv.Key, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => KeyValuePair.Create(g.Key, g.Sum(kv => kv.Value))).ToList(),
    };

    /// <summary>The rows of each split of journey <paramref name="id"/>: the catalog's splits and branches in order, then
    /// any only decisions named; the lift of each branch against the split's reference.</summary>
    private IEnumerable<BranchRow> Branches(string id, List<JourneyInfo> versions)
    {
        var splits = versions.SelectMany(j => j.Steps.SelectMany(s => s.Transitions.Where(t => t.Kind == TransitionKind.Split)
                .SelectMany(t => t.Branches.Select(b => (Step: s.Name, Branch: b.Target)))))
            .Concat(_branches.Where(kv => kv.Key.Journey == id).OrderBy(kv => kv.Value.Seen).Select(kv => (kv.Key.Step, kv.Key.Branch)))
            .Distinct()
            .GroupBy(b => b.Step, StringComparer.Ordinal);
        foreach (var split in splits)
        {
            var counted = split.Select(b => (b.Branch, Counts: _branches.GetValueOrDefault((id, split.Key, b.Branch)) ?? new BranchCounts(0))).ToList();
            var reference = counted.FirstOrDefault(b => b.Branch == "holdout");
            if (reference.Branch is null)
            {
                reference = counted.MinBy(b => b.Counts.Arrived);
            }

            foreach (var (branch, counts) in counted)
            {
                var isReference = branch == reference.Branch;
                (double Difference, double Low, double High)? lift = isReference || counts.Arrived == 0 || reference.Counts.Arrived == 0
                    ? null
                    : ProportionDifference.Newcombe(counts.Goal, counts.Arrived, reference.Counts.Goal, reference.Counts.Arrived);
                yield return new BranchRow
                {
                    Journey = id,
                    Step = split.Key,
                    Branch = branch,
                    Arrived = counts.Arrived,
                    Goal = counts.Goal,
                    Conversion = counts.Arrived == 0 ? null : (double)counts.Goal / counts.Arrived,
                    IsReference = isReference,
                    Lift = lift?.Difference,
                    LiftLow = lift?.Low,
                    LiftHigh = lift?.High,
                };
            }
        }
    }

    private sealed class StepCounts(int seen)
    {
        public int Seen { get; } = seen;

        public long Arrived;
        public long Sent;
        public long Suppressed;
        public long Deferred;
        public long Failed;
        public long Called;
        public long CallsFailed;
        public long Goal;
        public long Exited;
        public long Completed;
        public readonly Dictionary<string, long> SuppressedBy = new(StringComparer.Ordinal);

        public FunnelRow ToRow(string journey, string step) => new()
        {
            Journey = journey,
            Step = step,
            Arrived = Arrived,
            Sent = Sent,
            Suppressed = Suppressed,
            Deferred = Deferred,
            Failed = Failed,
            Called = Called,
            CallsFailed = CallsFailed,
            Goal = Goal,
            Exited = Exited,
            Completed = Completed,
            SuppressedBy = SuppressedBy.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList(),
        };
    }

    private sealed class BranchCounts(int seen)
    {
        public int Seen { get; } = seen;

        public long Arrived;
        public long Goal;
    }
}
