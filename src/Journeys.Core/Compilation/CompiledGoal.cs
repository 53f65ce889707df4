using Journeys.Calendars;
using Journeys.Decisions;
using Journeys.Language.Expressions;
using Journeys.State;

namespace Journeys.Compilation;

/// <summary>A journey's <c>goal</c> compiled: the event, its guard, the window from entry in ticks (long.MaxValue: none)
/// or in working time on a calendar, whether reaching it ends the run, and the reason its decisions record
/// (<c>goal:type</c>).</summary>
internal sealed record CompiledGoal(string EventType, JourneyExpression? Guard, long WithinTicks, bool Exits)
{
    /// <summary>The reason recorded on the <c>goal</c> decision and on the <c>exited</c> that may follow it.</summary>
    public DecisionReason Reason { get; } = DecisionReason.Goal(EventType);

    /// <summary><c>within: 7bd</c>: the window in working time (then <see cref="WithinTicks"/> is unused).</summary>
    public WorkingDuration? WithinWorking { get; init; }

    /// <summary>The calendar <see cref="WithinWorking"/> counts on.</summary>
    public WorkingCalendar? Calendar { get; init; }

    /// <summary>True when a conversion at <paramref name="now"/> is inside the window of a run entered at
    /// <paramref name="enteredTicks"/> (the window's end included).</summary>
    public bool InTime(long enteredTicks, long now) => WithinWorking is { } working && Calendar is { } calendar
        ? now <= working.AddTo(calendar, enteredTicks)
        : now - enteredTicks <= WithinTicks;
}
