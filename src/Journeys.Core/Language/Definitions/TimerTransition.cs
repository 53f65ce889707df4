namespace Journeys.Language.Definitions;

/// <summary><c>{ after: 7d, goto: step }</c>: a timer started on arrival at the step.</summary>
/// <param name="After">How long after arrival.</param>
/// <param name="Target">The next step, or <c>end</c>.</param>
internal sealed record TimerTransition(TimeSpan After, string Target) : TransitionDefinition
{
    /// <inheritdoc />
    public override IEnumerable<string> Targets => [Target];

    /// <inheritdoc />
    public override string Label => $"after {Duration.Format(After)}";
}
