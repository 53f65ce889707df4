using Journeys.Decisions;
using Journeys.Language.Definitions;

namespace Journeys.Compilation;

/// <summary>A step compiled for the per-event path: arrival branches in order, event transitions by type, the timers. Targets are step indexes, <see cref="End"/> for <c>goto: end</c>; every label a decision records is made here,
/// once. The interpreter reads only this, never the step's definition.</summary>
internal sealed class CompiledStep
{
    public const int End = -1;

    public CompiledStep(int index, StepDefinition definition, Func<string, int> target)
    {
        Index = index;
        Name = definition.Name;
        Sends = definition.Sends.ToArray();
        Set = definition.Set.ToArray();
        SetReason = Set.Length == 0 ? null : DecisionReason.TraitsSet(Set.Select(a => a.Trait).ToArray());
        Emits = definition.Emits.ToArray();
        EmitReasons = Emits.Select(e => DecisionReason.Emitted(e.EventType)).ToArray();
        Completes = definition.Transitions.Count == 0;
        Timers = definition.Transitions
            .Where(t => t is TimerTransition or UntilTransition)
            .Select(t => new StepTimer(t, target(t.Targets.First())))
            .ToArray();
        var timers = Timers.AsEnumerable().GetEnumerator();
        Arrival = definition.Transitions
            .Select(t => t switch
            {
                ConditionTransition c => ArrivalBranch.If(c.Condition, target(c.Target)),
                GotoTransition g => ArrivalBranch.Always(target(g.Target)),
                SplitTransition s => ArrivalBranch.Split(s.Branches.Select(b => (b.Weight, target(b.Target))).ToList()),
                TimerTransition or UntilTransition when timers.MoveNext() && timers.Current.FromEntry => ArrivalBranch.Passed(timers.Current),
                _ => null,
            })
            .OfType<ArrivalBranch>()
            .ToArray();
        OnlyConditions = definition.Transitions.Count > 0 && definition.Transitions.All(t => t is ConditionTransition);
        // $done and $failed are the engine's answers to the step's call or send, never events a customer publishes.
        OnEvent = definition.Transitions.OfType<EventTransition>()
            .Where(t => !t.EventType.StartsWith('$'))
            .GroupBy(t => t.EventType, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(t => Branch(t, target)).ToArray(), StringComparer.Ordinal);
        Call = definition.Call;
        OnDone = definition.Transitions.OfType<EventTransition>().Where(t => t.EventType == CallDefinition.Done).Select(t => Branch(t, target)).ToArray();
        OnFailed = definition.Transitions.OfType<EventTransition>().Where(t => t.EventType == CallDefinition.Failed).Select(t => Branch(t, target)).ToArray();
    }

    private static EventBranch Branch(EventTransition t, Func<string, int> target) =>
        new(t.Guard, target(t.Target), DecisionReason.Event(t.EventType, t.Guard?.Text));

    public int Index { get; }

    /// <summary>The action asked on arrival (<c>call:</c>), after the emits; null for none. A step that calls waits for the
    /// answer instead of taking arrival branches.</summary>
    public CallDefinition? Call { get; }

    /// <summary>The <c>on: $done</c> transitions, in order: tried when the call answered (their guards read <c>result.*</c>).</summary>
    public EventBranch[] OnDone { get; }

    /// <summary>The <c>on: $failed</c> transitions, in order: tried when the call or a send of the step gave up.</summary>
    public EventBranch[] OnFailed { get; }

    public string Name { get; }

    /// <summary>The step's sends, in order (plain data the pace stage reads: channel, template, category, priority).</summary>
    public SendDefinition[] Sends { get; }

    /// <summary>The traits stored on arrival (<c>set:</c>), before the sends; empty for none.</summary>
    public TraitAssignment[] Set { get; }

    /// <summary>The reason of the step's <c>updated</c> decision (null when it sets nothing), made once.</summary>
    public DecisionReason? SetReason { get; }

    /// <summary>The events published on arrival (<c>emit:</c>), after the sends, in order; empty for none.</summary>
    public EmitDefinition[] Emits { get; }

    /// <summary>The reason of each emit's <c>emitted</c> decision, made once.</summary>
    public DecisionReason[] EmitReasons { get; }

    /// <summary>No <c>then</c>: arriving here completes the journey.</summary>
    public bool Completes { get; }

    /// <summary>Only <c>if</c> branches: a customer who matches none completes the journey here.</summary>
    public bool OnlyConditions { get; }

    public ArrivalBranch[] Arrival { get; }

    public Dictionary<string, EventBranch[]> OnEvent { get; }

    /// <summary>The step's timers (<c>after</c>, <c>until</c>) in the order written; the earliest due fires (the first
    /// written among those due at once).</summary>
    public StepTimer[] Timers { get; }

    /// <summary>The earliest of the step's timers for a run (null when the step has none), with its due time.</summary>
    public (StepTimer Timer, long Due)? NextTimer(long arrivedTicks, long enteredTicks, TimeZoneInfo zone)
    {
        (StepTimer, long)? next = null;
        foreach (var timer in Timers)
        {
            var due = timer.Due(arrivedTicks, enteredTicks, zone);
            if (next is null || due < next.Value.Item2)
            {
                next = (timer, due);
            }
        }

        return next;
    }
}
