using Journeys.Diagnostics;
using Journeys.Language.Expressions;
using Journeys.State;

namespace Journeys.Language.Definitions;

/// <summary>A customer tier: <c>high-value: "customer.spend12m >= 5000"</c>.</summary>
/// <param name="Name">The tier's name.</param>
/// <param name="Condition">The condition; no event is at hand.</param>
internal sealed record TierDefinition(string Name, JourneyExpression Condition)
{
    /// <summary>The tier of a customer who matches none.</summary>
    public const string Default = CustomerState.DefaultTier;

    /// <summary>Where the tier was defined.</summary>
    public SourceLocation Location { get; init; }
}
