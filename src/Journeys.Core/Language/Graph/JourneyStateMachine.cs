using Journeys.Inspection;
using Journeys.Language.Definitions;
using Journeys.Language.Expressions;
using Stateless;

namespace Journeys.Language.Graph;

/// <summary>Builds a journey as a <see cref="StateMachine{TState, TTrigger}"/>: the reference semantics the compiled
/// runtime is tested against, and the source of <c>journeys graph</c>. States are the steps plus the pseudo-states
/// below; triggers are the operator's labels (<c>on x</c>, <c>after 7d</c>, <c>if</c>, <c>split</c>, <c>always</c>),
/// with guards made mutually exclusive in written order, so "first match wins" holds in Stateless too.</summary>
internal sealed class JourneyStateMachine
{
    public const string AlwaysTrigger = GraphLabels.Always;
    public const string IfTrigger = GraphLabels.If;
    public const string SplitTrigger = GraphLabels.Split;
    public const string DoneTrigger = "done";

    // Per step renamed for drawing (see ForGraph), its state's name; a step not in it is its own state.
    private readonly IReadOnlyDictionary<string, string>? _stateOf;

    private JourneyStateMachine(JourneyDefinition journey, Func<string> read, Action<string> write, IReferenceGuards? guards,
        IReadOnlyDictionary<string, string>? stateOf = null)
    {
        Journey = journey;
        _stateOf = stateOf;
        var taken = journey.Steps.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        string Pseudo(string name)
        {
            while (taken.Contains(name))
            {
                name += "_";
            }

            return name;
        }

        NotEntered = Pseudo("not_entered");
        InJourney = Pseudo("in_journey");
        Completed = Pseudo("completed");
        Exited = Pseudo("exited");
        Converted = Pseudo("converted");
        if (string.IsNullOrEmpty(read()))
        {
            write(NotEntered); // Stateless reads the initial state when it is built
        }

        Machine = new StateMachine<string, string>(read, write, FiringMode.Immediate);
        Configure(guards);
    }

    public JourneyDefinition Journey { get; }

    public StateMachine<string, string> Machine { get; }

    public string NotEntered { get; }

    public string InJourney { get; }

    public string Completed { get; }

    public string Exited { get; }

    public string Converted { get; }

    /// <summary>The entry's label; a journey with <c>case:</c> names its key (<c>entry: on feedback_submitted, a run per
    /// event.ticketId</c>), so the graph says runs are per case.</summary>
    public static string EntryTrigger(JourneyDefinition journey) =>
        "entry: " + journey.Entry switch
        {
            EventEntry e => "on " + e.EventType,
            ScheduleEntry s => "schedule " + s.Rule.Describe(), // its guard is drawn as the transition's guard
            var other => other.Describe(),
        } + (journey.Case is { } key ? ", a run per " + key.Text : "");

    public static string ExitTrigger(ExitRule exit) => "exit: on " + exit.EventType;

    public static string GoalTrigger(GoalDefinition goal) => "goal: on " + goal.EventType;

    public static string OnTrigger(string eventType) => GraphLabels.On(eventType);

    public static string AfterTrigger(TimeSpan after) => GraphLabels.After(after);

    /// <summary>A machine for drawing: every guard shown, none evaluated. <paramref name="stateOf"/> renames steps' states
    /// (a step not in it is the state of its own name).</summary>
    public static JourneyStateMachine ForGraph(JourneyDefinition journey, IReadOnlyDictionary<string, string>? stateOf = null)
    {
        var state = "";
        return new JourneyStateMachine(journey, () => state, s => state = s, null, stateOf);
    }

    /// <summary>The state of step <paramref name="step"/>.</summary>
    public string StateOf(string step) => _stateOf is not null && _stateOf.TryGetValue(step, out var state) ? state : step;

    /// <summary>A machine over external state, with guards evaluated by <paramref name="guards"/>.</summary>
    public static JourneyStateMachine ForReference(JourneyDefinition journey, Func<string> read, Action<string> write, IReferenceGuards guards) =>
        new(journey, read, write, guards);

    private void Configure(IReferenceGuards? guards)
    {
        var journey = Journey;
        bool Holds(JourneyExpression? e) => e is null || guards is null || guards.Holds(e);

        var entry = Machine.Configure(NotEntered);
        switch (journey.Entry)
        {
            case EventEntry { Guard: { } g }:
                entry.PermitIf(EntryTrigger(journey), StateOf(journey.Start), () => Holds(g), g.Text);
                break;
            case ScheduleEntry { Guard: { } g }:
                entry.PermitIf(EntryTrigger(journey), journey.Start, () => Holds(g), g.Text);
                break;
            default:
                entry.Permit(EntryTrigger(journey), StateOf(journey.Start));
                break;
        }

        var inside = Machine.Configure(InJourney);
        foreach (var group in journey.Exits.GroupBy(ExitTrigger))
        {
            var exits = group.ToList();
            for (var i = 0; i < exits.Count; i++)
            {
                var (rule, earlier) = (exits[i], exits.Take(i).ToList());
                if (GraphLabels.FirstMatchGuard(rule.Guard, earlier.Count > 0) is not { } description)
                {
                    inside.Permit(group.Key, Exited);
                }
                else
                {
                    inside.PermitIf(group.Key, Exited, () => Holds(rule.Guard) && earlier.All(e => !Holds(e.Guard)), description);
                }
            }
        }

        if (journey.Goal is { } goal)
        {
            var description = string.Join(" && ", new[] { goal.Guard?.Text, goal.Within is { } w ? "within " + Duration.Format(w) : goal.WithinWorking is { } ww ? $"within {ww}" : null }.Where(s => s is not null));
            bool GoalHolds() => Holds(goal.Guard) && (guards is null || guards.GoalInTime(goal));
            if (goal.Exit)
            {
                inside.PermitIf(GoalTrigger(goal), Converted, GoalHolds, description.Length > 0 ? description : null);
            }
            else
            {
                inside.InternalTransitionIf(GoalTrigger(goal), _ => GoalHolds(), _ => { }, description.Length > 0 ? description : null);
            }
        }

        foreach (var step in journey.Steps)
        {
            var state = StateOf(step.Name);
            var config = Machine.Configure(state).SubstateOf(InJourney);
            foreach (var label in StepActionLabels.Of(step))
            {
                config.OnEntry(static () => { }, label); // drawn only: the reference model carries the actions out itself
            }

            if (step.Transitions.Count == 0)
            {
                config.Permit(DoneTrigger, Completed);
                continue;
            }

            string Target(string t) => t == TransitionDefinition.End ? Completed : StateOf(t);
            var conditions = step.Transitions.OfType<ConditionTransition>().ToList();
            for (var i = 0; i < conditions.Count; i++)
            {
                var (c, earlier) = (conditions[i], conditions.Take(i).ToList());
                config.PermitIf(IfTrigger, Target(c.Target), () => Holds(c.Condition) && earlier.All(e => !Holds(e.Condition)), c.Condition.Text);
            }

            if (step.Transitions.All(t => t is ConditionTransition))
            {
                // No branch matched and nothing to wait for: the journey completes here.
                config.PermitIf(DoneTrigger, Completed, () => conditions.All(c => !Holds(c.Condition)), "no branch matched");
            }

            foreach (var group in step.Transitions.OfType<EventTransition>().GroupBy(t => OnTrigger(t.EventType)))
            {
                var list = group.ToList();
                for (var i = 0; i < list.Count; i++)
                {
                    var (t, earlier) = (list[i], list.Take(i).ToList());
                    if (GraphLabels.FirstMatchGuard(t.Guard, earlier.Count > 0) is not { } description)
                    {
                        Permit(config, state, group.Key, Target(t.Target), null, null);
                    }
                    else
                    {
                        Permit(config, state, group.Key, Target(t.Target), () => Holds(t.Guard) && earlier.All(e => !Holds(e.Guard)), description);
                    }
                }
            }

            // Only the earliest timer of a step can fire (ties: the first written); a timer's trigger is its label.
            foreach (var timer in step.Transitions.Where(t => t is TimerTransition or UntilTransition).GroupBy(t => t.Label).Select(g => g.First()))
            {
                Permit(config, state, timer.Label, Target(timer.Targets.First()), null, null);
            }

            foreach (var t in step.Transitions.Where(t => t is GotoTransition or SplitTransition).Take(1))
            {
                if (t is GotoTransition go)
                {
                    config.Permit(AlwaysTrigger, Target(go.Target));
                    continue;
                }

                var split = (SplitTransition)t;
                for (var b = 0; b < split.Branches.Count; b++)
                {
                    var index = b;
                    config.PermitIf(SplitTrigger, Target(split.Branches[b].Target), () => guards is null || guards.Branch(step, split) == index,
                        GraphLabels.Share(split.Branches[b].Weight, split.TotalWeight));
                }
            }
        }
    }

    /// <summary>An <c>on</c> or <c>after</c> transition; one back to its own step (which restarts the step) is a re-entry
    /// for Stateless, whose <c>Permit</c> refuses a destination equal to the source.</summary>
    private static void Permit(StateMachine<string, string>.StateConfiguration config, string step, string trigger, string target,
        Func<bool>? guard, string? description)
    {
        if (target == step)
        {
            _ = guard is null ? config.PermitReentry(trigger) : config.PermitReentryIf(trigger, guard, description);
        }
        else
        {
            _ = guard is null ? config.Permit(trigger, target) : config.PermitIf(trigger, target, guard, description);
        }
    }
}
