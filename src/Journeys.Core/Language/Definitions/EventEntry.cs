using Journeys.Language.Expressions;

namespace Journeys.Language.Definitions;

/// <summary><c>entry: { on: signed_up, if: ... }</c>: an event of that type enters the customer when the guard holds.</summary>
/// <param name="EventType">The event's type.</param>
/// <param name="Guard">An optional condition; the event is at hand.</param>
internal sealed record EventEntry(string EventType, JourneyExpression? Guard) : EntryDefinition
{
    /// <inheritdoc />
    public override string Describe() => Guard is null ? $"on {EventType}" : $"on {EventType} if {Guard.Text}";
}
