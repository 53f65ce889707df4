using Journeys.Diagnostics;
using Journeys.Language.Expressions;

namespace Journeys.Language.Definitions;

/// <summary>One event of a step's <c>emit:</c>, published for the same customer at the same instant.</summary>
/// <param name="EventType">The event's type.</param>
/// <param name="Properties">Its properties: name and expression, in the order written.</param>
internal sealed record EmitDefinition(string EventType, IReadOnlyList<KeyValuePair<string, JourneyExpression>> Properties)
{
    /// <summary>Where the emit was written.</summary>
    public SourceLocation Location { get; init; }
}
