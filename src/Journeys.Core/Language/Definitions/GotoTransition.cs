namespace Journeys.Language.Definitions;

/// <summary><c>{ goto: step }</c>: moves on at once on arrival (an unconditional branch).</summary>
/// <param name="Target">The next step, or <c>end</c>.</param>
internal sealed record GotoTransition(string Target) : TransitionDefinition
{
    /// <inheritdoc />
    public override IEnumerable<string> Targets => [Target];

    /// <inheritdoc />
    public override string Label => "always";
}
