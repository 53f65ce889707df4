using Journeys.Delivery;
using Journeys.Diagnostics;

namespace Journeys.Language.Definitions;

/// <summary>A message to send: <c>send: { channel: push, template: nurture/guide }</c>.</summary>
/// <param name="Channel">The name of a registered channel adapter.</param>
/// <param name="Template">The template's name.</param>
/// <param name="Category">Marketing (capped), transactional (exempt from caps and quiet hours) or operational (work for
/// staff: exempt from consent too).</param>
/// <param name="Priority">Higher goes first when deferred sends compete for a freed slot.</param>
internal sealed record SendDefinition(string Channel, string Template, MessageCategory Category, int Priority)
{
    /// <summary><c>validFor: 2d</c>: how long after the step made it the send is still worth sending; one that quiet hours
    /// or a cap hold longer is dropped (<c>expired</c>). Null: as long as the policy holds it.</summary>
    public TimeSpan? ValidFor { get; init; }

    /// <summary>Where the send was defined.</summary>
    public SourceLocation Location { get; init; }
}
