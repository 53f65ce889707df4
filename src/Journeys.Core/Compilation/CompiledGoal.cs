using Journeys.Decisions;
using Journeys.Language.Expressions;

namespace Journeys.Compilation;

/// <summary>A journey's <c>goal</c> compiled: the event, its guard, the window from entry in ticks (long.MaxValue: none),
/// whether reaching it ends the run, and the reason its decisions record (<c>goal:type</c>).</summary>
internal sealed record CompiledGoal(string EventType, JourneyExpression? Guard, long WithinTicks, bool Exits)
{
    /// <summary>The reason recorded on the <c>goal</c> decision and on the <c>exited</c> that may follow it.</summary>
    public DecisionReason Reason { get; } = DecisionReason.Goal(EventType);
}
