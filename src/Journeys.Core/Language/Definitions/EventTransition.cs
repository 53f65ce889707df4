using Journeys.Language.Expressions;

namespace Journeys.Language.Definitions;

/// <summary><c>{ on: event, if: expr, goto: step }</c>: waits for the event while in the step.</summary>
/// <param name="EventType">The event's type.</param>
/// <param name="Guard">An optional condition; the event is at hand.</param>
/// <param name="Target">The next step, or <c>end</c>.</param>
internal sealed record EventTransition(string EventType, JourneyExpression? Guard, string Target) : TransitionDefinition
{
    /// <inheritdoc />
    public override IEnumerable<string> Targets => [Target];

    /// <inheritdoc />
    public override string Label => Guard is null ? $"on {EventType}" : $"on {EventType} if {Guard.Text}";
}
