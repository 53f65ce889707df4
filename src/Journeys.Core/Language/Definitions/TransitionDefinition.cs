using Journeys.Diagnostics;

namespace Journeys.Language.Definitions;

/// <summary>A way out of a step: <see cref="EventTransition"/>, <see cref="TimerTransition"/>,
/// <see cref="ConditionTransition"/>, <see cref="SplitTransition"/> or <see cref="GotoTransition"/>.</summary>
internal abstract record TransitionDefinition
{
    /// <summary>The step name that ends a journey when used as a target.</summary>
    public const string End = "end";

    /// <summary>Where the transition was defined.</summary>
    public SourceLocation Location { get; init; }

    /// <summary>Where the target's name (the value of <c>goto</c>) was written; null when unknown (a split's branches
    /// have their own).</summary>
    public SourceLocation? TargetLocation { get; init; }

    /// <summary>Every step this transition can lead to (<see cref="End"/> included).</summary>
    public abstract IEnumerable<string> Targets { get; }

    /// <summary>The label a diagram shows: <c>on x</c>, <c>after 7d</c>, <c>if ...</c>, <c>split 90%</c>.</summary>
    public abstract string Label { get; }
}
