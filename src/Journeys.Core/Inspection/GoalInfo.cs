using Journeys.Diagnostics;
using Journeys.Language.Definitions;

namespace Journeys.Inspection;

/// <summary>The conversion a journey aims for (<c>goal: { on: order_completed, within: 60d, exit: true }</c>).</summary>
public sealed class GoalInfo
{
    internal GoalInfo(GoalDefinition goal)
    {
        EventType = goal.EventType;
        Guard = goal.Guard?.Text;
        Within = goal.Within;
        WithinWorkingTime = goal.WithinWorking?.ToString();
        Exit = goal.Exit;
        Location = goal.Location;
    }

    /// <summary>The event that counts as conversion.</summary>
    public string EventType { get; }

    /// <summary>The guard's source text, or null when there is none.</summary>
    public string? Guard { get; }

    /// <summary>How long after entry the conversion counts; null for as long as the customer is inside.</summary>
    public TimeSpan? Within { get; }

    /// <summary>The window in working time as written (<c>7bd</c>; then <see cref="Within"/> is null), or null.</summary>
    public string? WithinWorkingTime { get; }

    /// <summary>Whether a customer who converts leaves the journey.</summary>
    public bool Exit { get; }

    /// <summary>Where the goal was written.</summary>
    public SourceLocation Location { get; }
}
