using Journeys.Calendars;
using Journeys.Diagnostics;
using Journeys.Language.Expressions;

namespace Journeys.Language.Definitions;

/// <summary><c>goal: { on: order_completed, within: 60d, exit: true }</c>: the conversion a journey aims for.</summary>
/// <param name="EventType">The event that counts as conversion.</param>
/// <param name="Guard">An optional condition; the event is at hand.</param>
/// <param name="Within">The conversion counts only this long after entry; null for as long as the customer is inside.</param>
/// <param name="Exit">Whether a customer who converts leaves the journey (default true).</param>
internal sealed record GoalDefinition(string EventType, JourneyExpression? Guard, TimeSpan? Within, bool Exit)
{
    /// <summary><c>within: 7bd</c>: the window in working time on the journey's calendar (then <see cref="Within"/> is null).</summary>
    public WorkingDuration? WithinWorking { get; init; }

    /// <summary>Where the goal was defined.</summary>
    public SourceLocation Location { get; init; }
}
