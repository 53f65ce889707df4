using System.Globalization;
using Journeys.Calendars;

namespace Journeys.Language.Definitions;

/// <summary><c>{ until: { at: "10:00", days: [mon, tue] }, goto: step }</c>: waits for the first such local time of the
/// customer strictly after arrival; with <c>calendar:</c> instead of <c>days</c>, the first <c>at</c> in the calendar's
/// zone on one of its working days.</summary>
/// <param name="At">The local time of day.</param>
/// <param name="Days">The weekdays it may fire on (every day by default; unused with a calendar).</param>
/// <param name="Calendar">The calendar whose working days and zone it uses, or null for the customer's zone.</param>
/// <param name="Target">The next step, or <c>end</c>.</param>
internal sealed record UntilTransition(TimeOnly At, WeekDays Days, WorkingCalendar? Calendar, string Target) : TransitionDefinition
{
    /// <inheritdoc />
    public override IEnumerable<string> Targets => [Target];

    /// <summary>What it waits for: <c>10:00 mon-fri</c>, <c>10:00 cn-office</c>, <c>10:00</c>.</summary>
    public string Text
    {
        get
        {
            var when = Calendar?.Name ?? Days.ToString();
            var at = At.ToString("HH':'mm", CultureInfo.InvariantCulture);
            return when.Length == 0 ? at : $"{at} {when}";
        }
    }

    /// <inheritdoc />
    public override string Label => "until " + Text;

    /// <summary>When the wait ends for a run that arrived at <paramref name="arrivedTicks"/>, for a customer in
    /// <paramref name="customerZone"/>.</summary>
    public long Due(long arrivedTicks, TimeZoneInfo customerZone) => Calendar is { } calendar
        ? calendar.NextWorkingAt(arrivedTicks, At)
        : LocalClock.NextAt(arrivedTicks, At, customerZone, d => Days.Contains(d.DayOfWeek), 8);
}
