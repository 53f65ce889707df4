using Journeys.Diagnostics;
using Journeys.Language.Expressions;

namespace Journeys.Language.Definitions;

/// <summary><c>exit: [ { on: unsubscribed, if: ... } ]</c>: the event makes the customer leave at once.</summary>
/// <param name="EventType">The event's type.</param>
/// <param name="Guard">An optional condition; the event is at hand.</param>
internal sealed record ExitRule(string EventType, JourneyExpression? Guard)
{
    /// <summary>Where the rule was defined.</summary>
    public SourceLocation Location { get; init; }

    /// <summary>Describes the rule as it appears in decisions' reasons: <c>exit:unsubscribed</c>.</summary>
    public string Reason => $"exit:{EventType}";
}
