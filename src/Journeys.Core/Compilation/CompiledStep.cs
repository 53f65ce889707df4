using Journeys.Language.Definitions;
using Journeys.Language.Expressions;

namespace Journeys.Compilation;

/// <summary>A step compiled for the per-event path: arrival branches in order, event transitions by type, the earliest
/// timer. Targets are step indexes, <see cref="End"/> for <c>goto: end</c>.</summary>
internal sealed class CompiledStep
{
    public const int End = -1;

    public CompiledStep(int index, StepDefinition definition, Func<string, int> target)
    {
        Index = index;
        Definition = definition;
        Sends = definition.Sends.ToArray();
        Completes = definition.Transitions.Count == 0;
        Arrival = definition.Transitions
            .Where(t => t is ConditionTransition or GotoTransition or SplitTransition)
            .Select(t => new ArrivalBranch(t, t switch
            {
                ConditionTransition c => [target(c.Target)],
                GotoTransition g => [target(g.Target)],
                SplitTransition s => s.Branches.Select(b => target(b.Target)).ToArray(),
                _ => [],
            }))
            .ToArray();
        OnlyConditions = definition.Transitions.Count > 0 && definition.Transitions.All(t => t is ConditionTransition);
        OnEvent = definition.Transitions.OfType<EventTransition>()
            .GroupBy(t => t.EventType, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(t => (t.Guard, target(t.Target), t)).ToArray(), StringComparer.Ordinal);
        var timer = definition.Transitions.OfType<TimerTransition>().OrderBy(t => t.After).FirstOrDefault();
        if (timer is not null)
        {
            TimerTicks = timer.After.Ticks;
            TimerTarget = target(timer.Target);
            TimerLabel = timer.Label;
        }
    }

    public int Index { get; }

    public StepDefinition Definition { get; }

    public string Name => Definition.Name;

    public SendDefinition[] Sends { get; }

    /// <summary>No <c>then</c>: arriving here completes the journey.</summary>
    public bool Completes { get; }

    /// <summary>Only <c>if</c> branches: a customer who matches none completes the journey here.</summary>
    public bool OnlyConditions { get; }

    public ArrivalBranch[] Arrival { get; }

    public Dictionary<string, (JourneyExpression? Guard, int Target, EventTransition Transition)[]> OnEvent { get; }

    /// <summary>The earliest <c>after</c> timer in ticks (0: none), its target and label.</summary>
    public long TimerTicks { get; }

    public int TimerTarget { get; }

    public string? TimerLabel { get; }

    internal sealed record ArrivalBranch(TransitionDefinition Transition, int[] Targets);
}
