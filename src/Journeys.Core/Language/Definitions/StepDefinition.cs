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

    /// <summary>Traits stored on arrival (<c>set:</c>), before the sends; empty for none.</summary>
    public IReadOnlyList<TraitAssignment> Set { get; init; } = [];

    /// <summary>Events published on arrival (<c>emit:</c>), after the sends; empty for none.</summary>
    public IReadOnlyList<EmitDefinition> Emits { get; init; } = [];

    /// <summary>The action asked on arrival (<c>call:</c>), after the emits; null for none.</summary>
    public CallDefinition? Call { get; init; }
}
