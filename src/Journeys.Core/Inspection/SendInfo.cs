using Journeys.Delivery;
using Journeys.Diagnostics;
using Journeys.Language.Definitions;

namespace Journeys.Inspection;

/// <summary>A message a step sends on arrival (<c>send: { channel: push, template: nurture/guide }</c>).</summary>
public sealed class SendInfo
{
    internal SendInfo(SendDefinition send)
    {
        Channel = send.Channel;
        Template = send.Template;
        Category = send.Category;
        Priority = send.Priority;
        Location = send.Location;
    }

    /// <summary>The name of the channel it is sent on.</summary>
    public string Channel { get; }

    /// <summary>The template's name.</summary>
    public string Template { get; }

    /// <summary>Marketing (capped) or transactional (exempt from caps and quiet hours).</summary>
    public MessageCategory Category { get; }

    /// <summary>Higher goes first when deferred sends compete for a freed slot.</summary>
    public int Priority { get; }

    /// <summary>Where the send was written.</summary>
    public SourceLocation Location { get; }
}
