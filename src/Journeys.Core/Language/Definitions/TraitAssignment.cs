using Journeys.Diagnostics;
using Journeys.Language.Expressions;

namespace Journeys.Language.Definitions;

/// <summary>One entry of a step's <c>set:</c>: a trait and the expression whose value it takes on arrival.</summary>
/// <param name="Trait">The trait's name.</param>
/// <param name="Value">The expression; null (YAML <c>~</c>) removes the trait, as an expression that is null does.</param>
internal sealed record TraitAssignment(string Trait, JourneyExpression? Value)
{
    /// <summary>Where the trait's name was written.</summary>
    public SourceLocation Location { get; init; }
}
