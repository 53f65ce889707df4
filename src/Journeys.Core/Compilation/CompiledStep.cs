using Journeys.Decisions;
using Journeys.Language.Definitions;

namespace Journeys.Compilation;

/// <summary>A step compiled for the per-event path: arrival branches in order, event transitions by type, the earliest
/// timer. Targets are step indexes, <see cref="End"/> for <c>goto: end</c>; every label a decision records is made here,
/// once. The interpreter reads only this, never the step's definition.</summary>
internal sealed class CompiledStep
{
    public const int End = -1;

    public CompiledStep(int index, StepDefinition definition, Func<string, int> target)
    {
        Index = index;
        Name = definition.Name;
        Sends = definition.Sends.ToArray();
        Completes = definition.Transitions.Count == 0;
        Arrival = definition.Transitions
            .Select(t => t switch
            {
                ConditionTransition c => ArrivalBranch.If(c.Condition, target(c.Target)),
                GotoTransition g => ArrivalBranch.Always(target(g.Target)),
                SplitTransition s => ArrivalBranch.Split(s.Branches.Select(b => (b.Weight, target(b.Target))).ToList()),
                _ => null,
            })
            .OfType<ArrivalBranch>()
            .ToArray();
        OnlyConditions = definition.Transitions.Count > 0 && definition.Transitions.All(t => t is ConditionTransition);
        OnEvent = definition.Transitions.OfType<EventTransition>()
            .GroupBy(t => t.EventType, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(t => new EventBranch(t.Guard, target(t.Target), DecisionReason.Event(t.EventType, t.Guard?.Text))).ToArray(), StringComparer.Ordinal);
        var timer = definition.Transitions.OfType<TimerTransition>().OrderBy(t => t.After).FirstOrDefault();
        if (timer is not null)
        {
            TimerTicks = timer.After.Ticks;
            TimerTarget = target(timer.Target);
            TimerLabel = DecisionReason.Timer(timer.After);
        }
    }

    public int Index { get; }

    public string Name { get; }

    /// <summary>The step's sends, in order (plain data the pace stage reads: channel, template, category, priority).</summary>
    public SendDefinition[] Sends { get; }

    /// <summary>No <c>then</c>: arriving here completes the journey.</summary>
    public bool Completes { get; }

    /// <summary>Only <c>if</c> branches: a customer who matches none completes the journey here.</summary>
    public bool OnlyConditions { get; }

    public ArrivalBranch[] Arrival { get; }

    public Dictionary<string, EventBranch[]> OnEvent { get; }

    /// <summary>The earliest <c>after</c> timer in ticks (0: none), its target and label.</summary>
    public long TimerTicks { get; }

    public int TimerTarget { get; }

    public DecisionReason? TimerLabel { get; }
}
