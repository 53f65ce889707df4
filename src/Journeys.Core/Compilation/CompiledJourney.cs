using Journeys.Decisions;
using Journeys.Inspection;
using Journeys.Language.Definitions;
using Journeys.Language.Expressions;
using Journeys.State;

namespace Journeys.Compilation;

/// <summary>A journey compiled into a closed model for the per-event path: its entry (kind, guard or condition, the
/// reason its <c>entered</c> decision records), re-entry, goal and exit tables, and its steps by index. Built once at
/// engine start; the interpreter reads only this, never the journey's definition records.</summary>
internal sealed class CompiledJourney
{
    private readonly DateEntry? _date;

    /// <param name="index">The journey's index in the runtime model.</param>
    /// <param name="definition">The definition.</param>
    /// <param name="current">For a retired version: the index of the current version of the same journey id; else -1.</param>
    public CompiledJourney(int index, JourneyDefinition definition, int current = -1)
    {
        Index = index;
        Current = current < 0 ? index : current;
        Definition = definition;
        Id = definition.Id;
        Version = definition.Version;
        var names = definition.Steps.Select((s, i) => (s.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        int Target(string name) => name == TransitionDefinition.End ? CompiledStep.End : names[name];
        Steps = definition.Steps.Select((s, i) => new CompiledStep(i, s, Target)).ToArray();
        Start = names[definition.Start];
        ExitsByEvent = definition.Exits.GroupBy(e => e.EventType, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => new CompiledExit(e.Guard, DecisionReason.Exit(e.EventType))).ToArray(), StringComparer.Ordinal);
        Goal = definition.Goal is { } goal ? new CompiledGoal(goal.EventType, goal.Guard, goal.Within?.Ticks ?? long.MaxValue, goal.Exit)
        {
            WithinWorking = goal.WithinWorking,
            Calendar = goal.WithinWorking is null ? null : definition.Calendar ?? throw new InvalidOperationException($"journey '{definition.Id}': goal within {goal.WithinWorking} has no calendar"),
        }
        : null;
        ReentryKind = definition.Reentry.Kind;
        ReentryGapTicks = definition.Reentry.MinimumGap.Ticks;
        switch (definition.Entry)
        {
            case EventEntry e:
                Entry = EntryKind.On;
                EntryEvent = e.EventType;
                EntryGuard = e.Guard;
                EntryReason = DecisionReason.Event(e.EventType);
                break;
            case ConditionEntry c:
                Entry = EntryKind.When;
                EntryGuard = c.Condition;
                EntryReason = DecisionReason.When(c.Condition.Text);
                break;
            case InactivityEntry i:
                Entry = EntryKind.Inactive;
                InactiveForTicks = i.For.Ticks;
                InactiveOf = i.Of;
                EntryReason = DecisionReason.Inactive(i.For);
                break;
            case DateEntry d:
                Entry = EntryKind.Date;
                _date = d;
                DateTrait = d.Trait;
                EntryReason = DecisionReason.Date(d.Trait);
                break;
            case ScheduleEntry s:
                Entry = EntryKind.Schedule;
                Schedule = s.Rule;
                EntryGuard = s.Guard;
                EntryReason = DecisionReason.Schedule(null);
                break;
            default:
                throw new InvalidOperationException($"journey '{definition.Id}': an entry of kind {definition.Entry.GetType().Name} has no compiled form");
        }

        CaseKey = definition.Case;
        MaxCases = definition.MaxCases;
        KeepsEntry = Entry == EntryKind.On && (CaseKey is not null || ReadsEntry(definition));
        NoCaseReason = CaseKey is null ? null : DecisionReason.NoCase(CaseKey.Text);
        MaxCasesReason = CaseKey is null ? null : DecisionReason.CasesFull(MaxCases);
    }

    /// <summary>What the <c>failed</c> decision of an entering event with no case key records (journeys with cases).</summary>
    public DecisionReason? NoCaseReason { get; }

    /// <summary>What the <c>failed</c> decision of an entry past <see cref="MaxCases"/> records (journeys with cases).</summary>
    public DecisionReason? MaxCasesReason { get; }

    /// <summary>The case key (<c>case:</c>), evaluated on an event; null for a journey of one run per customer.</summary>
    public JourneyExpression? CaseKey { get; }

    /// <summary>The most runs open at once per customer (<c>maxCases:</c>) of a journey with <see cref="CaseKey"/>.</summary>
    public int MaxCases { get; }

    /// <summary>Its runs keep their entering event (an <see cref="EnteredRun"/>): it has cases, or an expression or a
    /// template of it reads <c>entry.*</c> (set by <see cref="RuntimeModel"/> for templates).</summary>
    public bool KeepsEntry { get; internal set; }

    private static bool ReadsEntry(JourneyDefinition definition)
    {
        static bool Reads(JourneyExpression? e) => e is not null && e.Text.Contains("entry", StringComparison.Ordinal);
        return definition.Exits.Any(x => Reads(x.Guard)) || Reads(definition.Goal?.Guard) ||
            definition.Steps.Any(s => s.Set.Any(a => Reads(a.Value)) || s.Emits.Any(e => e.Properties.Any(p => Reads(p.Value))) ||
                                         (s.Call?.With.Any(p => Reads(p.Value)) ?? false)) ||
            definition.Steps.Any(s => s.Transitions.Any(t => t switch
            {
                EventTransition e => Reads(e.Guard),
                ConditionTransition c => Reads(c.Condition),
                _ => false,
            }));
    }

    public int Index { get; }

    /// <summary>The definition this was compiled from: for tools and the store's mapping, never for the interpreter.</summary>
    public JourneyDefinition Definition { get; }

    /// <summary>The index of the journey id's current version: this journey's own index, unless it is a retired version
    /// that customers who entered it finish on (<c>versioning: finish</c>). Entry history and caps count per id, there.</summary>
    public int Current { get; }

    /// <summary>False for a retired version: nobody enters it; customers already inside finish on it.</summary>
    public bool AcceptsEntries => Current == Index;

    /// <summary>For a current version: the indices of its retired versions still running (usually none). A customer inside
    /// one of them is inside the journey for the re-entry rules.</summary>
    public int[] Retired { get; set; } = [];

    public string Id { get; }

    public int Version { get; }

    public CompiledStep[] Steps { get; }

    public int Start { get; }

    public Dictionary<string, CompiledExit[]> ExitsByEvent { get; }

    /// <summary>The goal, or null.</summary>
    public CompiledGoal? Goal { get; }

    public EntryKind Entry { get; }

    /// <summary>The entering event's type (<see cref="EntryKind.On"/>), else null.</summary>
    public string? EntryEvent { get; }

    /// <summary>The event or schedule entry's guard (<see cref="EntryKind.On"/>, <see cref="EntryKind.Schedule"/>; null:
    /// none) or the <c>when</c> condition
    /// (<see cref="EntryKind.When"/>).</summary>
    public JourneyExpression? EntryGuard { get; }

    /// <summary>What an <c>entered</c> decision records as its reason: <c>on signed_up</c>, <c>when</c>,
    /// <c>inactive 90d</c>, <c>date birthday</c>.</summary>
    public DecisionReason EntryReason { get; }

    /// <summary>How long an <see cref="EntryKind.Inactive"/> entry waits, in ticks.</summary>
    public long InactiveForTicks { get; }

    /// <summary>The event types whose absence an <see cref="EntryKind.Inactive"/> entry waits for.</summary>
    public IReadOnlyList<string> InactiveOf { get; } = [];

    /// <summary>The trait a <see cref="EntryKind.Date"/> entry reads, else null.</summary>
    public string? DateTrait { get; }

    /// <summary>When a <see cref="EntryKind.Schedule"/> entry comes round, else null.</summary>
    public Calendars.ScheduleRule? Schedule { get; }

    public ReentryKind ReentryKind { get; }

    /// <summary>The minimum gap between entries of <see cref="ReentryKind.AfterGap"/>, in ticks.</summary>
    public long ReentryGapTicks { get; }

    /// <summary>A <see cref="EntryKind.Date"/> entry's next occurrence strictly after <paramref name="nowTicks"/> for a
    /// customer whose trait holds <paramref name="trait"/> in <paramref name="zone"/>, or null.</summary>
    public long? NextDate(Value trait, TimeZoneInfo zone, long nowTicks) =>
        _date is null ? null : DateSchedule.Next(trait, _date, zone, nowTicks);

    /// <summary>Every event type this journey reacts to in any way (entry, exits, goal, transitions).</summary>
    public IEnumerable<string> EventTypes()
    {
        if (EntryEvent is { } entry && AcceptsEntries)
        {
            yield return entry;
        }

        foreach (var type in ExitsByEvent.Keys)
        {
            yield return type;
        }

        if (Goal is { } goal)
        {
            yield return goal.EventType;
        }

        foreach (var step in Steps)
        {
            foreach (var type in step.OnEvent.Keys)
            {
                yield return type;
            }
        }
    }
}
