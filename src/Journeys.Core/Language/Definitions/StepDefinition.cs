using Journeys.Diagnostics;

namespace Journeys.Language.Definitions;

/// <summary>A step: messages sent on arrival, then transitions tried in order.</summary>
/// <param name="Name">The step's name, unique in its journey.</param>
/// <param name="Sends">Messages sent when a customer arrives.</param>
/// <param name="Transitions">The ways out, in order; empty means the journey completes here.</param>
internal sealed record StepDefinition(string Name, IReadOnlyList<SendDefinition> Sends, IReadOnlyList<TransitionDefinition> Transitions)
{
    /// <summary>Where the step was defined.</summary>
    public SourceLocation Location { get; init; }
}
