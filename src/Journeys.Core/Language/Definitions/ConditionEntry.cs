using Journeys.Language.Expressions;

namespace Journeys.Language.Definitions;

/// <summary><c>entry: { when: expr }</c>: entered as soon as the condition becomes true after an event or trait change.</summary>
/// <param name="Condition">The condition; no event is at hand.</param>
internal sealed record ConditionEntry(JourneyExpression Condition) : EntryDefinition
{
    /// <inheritdoc />
    public override string Describe() => $"when {Condition.Text}";
}
