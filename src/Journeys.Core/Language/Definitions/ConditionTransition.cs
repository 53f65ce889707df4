using Journeys.Language.Expressions;

namespace Journeys.Language.Definitions;

/// <summary><c>{ if: expr, goto: step }</c>: a branch decided on arrival at the step.</summary>
/// <param name="Condition">The condition; no event is at hand.</param>
/// <param name="Target">The next step, or <c>end</c>.</param>
internal sealed record ConditionTransition(JourneyExpression Condition, string Target) : TransitionDefinition
{
    /// <inheritdoc />
    public override IEnumerable<string> Targets => [Target];

    /// <inheritdoc />
    public override string Label => $"if {Condition.Text}";
}
