using Journeys.Calendars;
using Journeys.Decisions;
using Journeys.Language.Definitions;
using Journeys.State;

namespace Journeys.Compilation;

/// <summary>One timed way out of a step, compiled: <c>after</c> (from arrival or, with <c>from: entry</c>, from the run's
/// entry; a fixed span or working time on a calendar) or <c>until</c> (a local time on certain days). Its due time is a
/// pure function of the run's arrival and entry times and the customer's zone, so it is computed again after a restart
/// rather than stored.</summary>
internal sealed class StepTimer
{
    private readonly long _fixedTicks; // a plain after: its span; else 0
    private readonly TimerTransition? _after;
    private readonly UntilTransition? _until;

    public StepTimer(TransitionDefinition transition, int target)
    {
        Target = target;
        switch (transition)
        {
            case TimerTransition { IsPlain: true } plain:
                _fixedTicks = plain.After.Ticks;
                Label = DecisionReason.Timer(plain.After);
                break;
            case TimerTransition after:
                _after = after;
                FromEntry = after.FromEntry;
                Calendar = after.Calendar;
                Label = DecisionReason.TimerLabel(after.Label);
                break;
            case UntilTransition until:
                _until = until;
                Calendar = until.Calendar;
                Label = DecisionReason.TimerLabel(until.Label);
                break;
            default:
                throw new ArgumentException($"{transition.GetType().Name} is not a timer", nameof(transition));
        }
    }

    /// <summary>The target step index (<see cref="CompiledStep.End"/> for <c>end</c>).</summary>
    public int Target { get; }

    /// <summary>The reason its <c>moved</c> decision records: <c>after 7d</c>, <c>after 7bd from entry</c>, <c>until 10:00 mon-fri</c>.</summary>
    public DecisionReason Label { get; }

    /// <summary>Measured from the run's entry: taken on arrival when already past.</summary>
    public bool FromEntry { get; }

    /// <summary>The calendar behind its due time, if any.</summary>
    public WorkingCalendar? Calendar { get; }

    /// <summary>When it is due for a run that entered at <paramref name="enteredTicks"/> and arrived at the step at
    /// <paramref name="arrivedTicks"/>, for a customer in <paramref name="zone"/> (UTC ticks;
    /// <see cref="CalendarTicks.Never"/> when it never comes).</summary>
    public long Due(long arrivedTicks, long enteredTicks, TimeZoneInfo zone) =>
        _fixedTicks > 0 ? CalendarTicks.Add(arrivedTicks, _fixedTicks)
        : _after is { } after ? after.Due(arrivedTicks, enteredTicks)
        : _until!.Due(arrivedTicks, zone);
}
