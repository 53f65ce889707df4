using Journeys.Diagnostics;
using Journeys.Language.Definitions;

namespace Journeys.Inspection;

/// <summary>A way out of a step, as written under <c>then:</c>: its <see cref="Kind"/> and the fields of that kind (the
/// others are null or empty), with the label <c>journeys graph</c> puts on its edge.</summary>
public sealed class TransitionInfo
{
    /// <summary>The step name that ends a journey when used as a target.</summary>
    public const string End = TransitionDefinition.End;

    /// <param name="transition">The transition.</param>
    /// <param name="earlier">The transitions written before it in the same step (for first-match-wins labels).</param>
    internal TransitionInfo(TransitionDefinition transition, IEnumerable<TransitionDefinition> earlier)
    {
        Location = transition.Location;
        switch (transition)
        {
            case EventTransition e:
                (Kind, EventType, Guard, Target) = (TransitionKind.On, e.EventType, e.Guard?.Text, e.Target);
                var hasEarlier = earlier.OfType<EventTransition>().Any(x => x.EventType == e.EventType);
                Label = GraphLabels.Edge(GraphLabels.On(e.EventType), GraphLabels.FirstMatchGuard(e.Guard, hasEarlier));
                break;
            case TimerTransition t:
                (Kind, After, Target, FromEntry) = (TransitionKind.After, t.Working is null ? t.After : null, t.Target, t.FromEntry);
                (WorkingTime, Calendar) = (t.Working?.ToString(), t.Calendar?.Name);
                Label = t.IsPlain ? GraphLabels.After(t.After) : t.Label;
                break;
            case UntilTransition u:
                (Kind, Until, Calendar, Target) = (TransitionKind.Until, u.Text, u.Calendar?.Name, u.Target);
                Label = u.Label;
                break;
            case ConditionTransition c:
                (Kind, Condition, Target) = (TransitionKind.If, c.Condition.Text, c.Target);
                Label = GraphLabels.Edge(GraphLabels.If, c.Condition.Text);
                break;
            case GotoTransition g:
                (Kind, Target) = (TransitionKind.Goto, g.Target);
                Label = GraphLabels.Always;
                break;
            case SplitTransition s:
                Kind = TransitionKind.Split;
                Branches = s.Branches.Select(b => new SplitBranchInfo(b, s.TotalWeight)).ToList();
                Label = GraphLabels.Split;
                break;
            default:
                throw new InvalidOperationException($"a transition of kind {transition.GetType().Name} has no inspection form");
        }

        Targets = Target is null ? Branches.Select(b => b.Target).ToList() : [Target];
    }

    /// <summary>The transition's kind.</summary>
    public TransitionKind Kind { get; }

    /// <summary><see cref="TransitionKind.On"/>: the event's type.</summary>
    public string? EventType { get; }

    /// <summary><see cref="TransitionKind.On"/>: the guard's source text, or null when there is none.</summary>
    public string? Guard { get; }

    /// <summary><see cref="TransitionKind.If"/>: the condition's source text.</summary>
    public string? Condition { get; }

    /// <summary><see cref="TransitionKind.After"/>: how long after arrival the timer fires.</summary>
    public TimeSpan? After { get; }

    /// <summary><see cref="TransitionKind.After"/>: a working-time duration as written (<c>7bd</c>, <c>2bh</c>; then
    /// <see cref="After"/> is null), or null.</summary>
    public string? WorkingTime { get; }

    /// <summary><see cref="TransitionKind.After"/>: true for <c>from: entry</c> (measured from the run's entry).</summary>
    public bool FromEntry { get; }

    /// <summary><see cref="TransitionKind.Until"/>: what it waits for, <c>10:00 mon-fri</c> or <c>10:00 cn-office</c>.</summary>
    public string? Until { get; }

    /// <summary>The working-time calendar behind the timer's due time (a <c>bd</c>/<c>bh</c> duration, an <c>until</c> with
    /// <c>calendar:</c>), or null.</summary>
    public string? Calendar { get; }

    /// <summary>The next step, or <see cref="End"/>; null for a <see cref="TransitionKind.Split"/> (see <see cref="Branches"/>).</summary>
    public string? Target { get; }

    /// <summary>Every step this transition can lead to, in order (<see cref="End"/> included).</summary>
    public IReadOnlyList<string> Targets { get; }

    /// <summary><see cref="TransitionKind.Split"/>: the branches in the order written (empty for other kinds).</summary>
    public IReadOnlyList<SplitBranchInfo> Branches { get; } = [];

    /// <summary>The label <c>journeys graph</c> draws on the edge: <c>on consult_completed</c>, <c>on x [guard]</c> (or
    /// <c>[otherwise]</c> after a guarded one on the same event), <c>after 7d</c>, <c>after 7bd from entry</c>, <c>until 10:00 mon-fri</c>, <c>if [condition]</c>, <c>always</c>;
    /// <c>split</c> for a split, whose edges carry <see cref="SplitBranchInfo.Label"/>. A timer that an earlier one of the
    /// same duration shadows (a load warning) keeps its label but is not drawn.</summary>
    public string Label { get; }

    /// <summary>Where the transition was written.</summary>
    public SourceLocation Location { get; }

    /// <summary>Returns <see cref="Label"/>.</summary>
    public override string ToString() => Label;
}
