using Journeys.Calendars;
using Journeys.State;

namespace Journeys.Language.Definitions;

/// <summary><c>{ after: 7d, goto: step }</c>: a timer started on arrival at the step; with <c>from: entry</c>, measured from
/// the run's entry instead; with a working-time duration (<c>7bd</c>, <c>2bh</c>), counted on the journey's calendar.</summary>
/// <param name="After">How long after arrival (or entry); zero for a working-time duration (see <see cref="Working"/>).</param>
/// <param name="Target">The next step, or <c>end</c>.</param>
internal sealed record TimerTransition(TimeSpan After, string Target) : TransitionDefinition
{
    /// <summary>A working-time duration (<c>7bd</c>, <c>2bh</c>) instead of <see cref="After"/>.</summary>
    public WorkingDuration? Working { get; init; }

    /// <summary>The calendar a working-time duration counts on (the journey's).</summary>
    public WorkingCalendar? Calendar { get; init; }

    /// <summary><c>from: entry</c>: measured from the run's entry, not the arrival at the step.</summary>
    public bool FromEntry { get; init; }

    /// <summary>The duration as written: <c>7d</c>, <c>7bd</c>.</summary>
    public string DurationText => Working?.ToString() ?? Duration.Format(After);

    /// <summary>True for a plain timer from arrival with a fixed duration (the v1 kind).</summary>
    public bool IsPlain => Working is null && !FromEntry;

    /// <inheritdoc />
    public override IEnumerable<string> Targets => [Target];

    /// <inheritdoc />
    public override string Label => $"after {DurationText}{(FromEntry ? " from entry" : "")}";

    /// <summary>When the timer is due for a run that entered at <paramref name="enteredTicks"/> and arrived at
    /// <paramref name="arrivedTicks"/> (UTC ticks).</summary>
    public long Due(long arrivedTicks, long enteredTicks)
    {
        var start = FromEntry ? enteredTicks : arrivedTicks;
        return Working is { } working
            ? working.AddTo(Calendar ?? throw new InvalidOperationException($"'after: {working}' has no calendar"), start)
            : CalendarTicks.Add(start, After.Ticks);
    }
}
