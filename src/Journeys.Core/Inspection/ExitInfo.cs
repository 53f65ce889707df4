using Journeys.Diagnostics;
using Journeys.Language.Definitions;

namespace Journeys.Inspection;

/// <summary>An exit rule (<c>exit: [ { on: unsubscribed, if: ... } ]</c>): the event makes the customer leave at once.</summary>
public sealed class ExitInfo
{
    internal ExitInfo(ExitRule exit)
    {
        EventType = exit.EventType;
        Guard = exit.Guard?.Text;
        Location = exit.Location;
    }

    /// <summary>The event's type.</summary>
    public string EventType { get; }

    /// <summary>The guard's source text, or null when there is none.</summary>
    public string? Guard { get; }

    /// <summary>Where the rule was written.</summary>
    public SourceLocation Location { get; }
}
