using Journeys.Delivery;
using Journeys.Diagnostics;

namespace Journeys.Language.Definitions;

/// <summary>A message to send: <c>send: { channel: push, template: nurture/guide }</c>.</summary>
/// <param name="Channel">The name of a registered channel adapter.</param>
/// <param name="Template">The template's name.</param>
/// <param name="Category">Marketing (capped) or transactional (exempt from caps and quiet hours).</param>
/// <param name="Priority">Higher goes first when deferred sends compete for a freed slot.</param>
internal sealed record SendDefinition(string Channel, string Template, MessageCategory Category, int Priority)
{
    /// <summary>Where the send was defined.</summary>
    public SourceLocation Location { get; init; }
}
