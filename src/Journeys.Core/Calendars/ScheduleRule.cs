using System.Globalization;
using Journeys.State;

namespace Journeys.Calendars;

/// <summary>When a <c>schedule:</c> entry comes round, and its occurrences in a time zone: the local time
/// <see cref="At"/> on the local dates the rule names (every day; a weekday; a day of the month, of each quarter's first
/// month, of the year; a lunar month and day), or one instant for everyone. A day past a month's end is its last day
/// (<c>on: 31</c> in April is 30 April; <c>"02-29"</c> in other years is 28 February); a lunar leap month never matches.
/// A local time a clock change skips is the first valid time after it; one it repeats, its first occurrence. Pure.</summary>
internal sealed record ScheduleRule
{
    /// <summary>The day value of <c>on: last</c>: every month's last day, by the month-end rule.</summary>
    public const int LastDay = 31;

    // A yearly rule's next occurrence is at most one year and a lunar leap month away.
    private const int SearchDays = 800;

    public required ScheduleEvery Every { get; init; }

    /// <summary>The local time of day (repeating rules).</summary>
    public TimeOnly At { get; init; }

    /// <summary><see cref="ScheduleEvery.Week"/>: the weekday.</summary>
    public DayOfWeek Weekday { get; init; }

    /// <summary><see cref="ScheduleEvery.Month"/>, <see cref="ScheduleEvery.Quarter"/>, <see cref="ScheduleEvery.Year"/>:
    /// the day of the month (1 to 31; <see cref="LastDay"/> with <see cref="IsLastDay"/> for <c>last</c>).</summary>
    public int Day { get; init; }

    /// <summary>True for <c>on: last</c>.</summary>
    public bool IsLastDay { get; init; }

    /// <summary><see cref="ScheduleEvery.Year"/>: the month (1 to 12), Gregorian or lunar.</summary>
    public int Month { get; init; }

    /// <summary><see cref="ScheduleEvery.Year"/>: <see cref="Month"/> and <see cref="Day"/> are a lunar month and day.</summary>
    public bool Lunar { get; init; }

    /// <summary><see cref="ScheduleEvery.Once"/>: the instant, as written (its offset kept for display).</summary>
    public DateTimeOffset Instant { get; init; }

    /// <summary>True when every customer shares one occurrence whatever their zone (a one-off instant).</summary>
    public bool IsOneInstant => Every == ScheduleEvery.Once;

    /// <summary>True when the local date <paramref name="date"/> is a day the rule fires on.</summary>
    public bool IsOn(DateOnly date) => Every switch
    {
        ScheduleEvery.Day => true,
        ScheduleEvery.Week => date.DayOfWeek == Weekday,
        ScheduleEvery.Month => date.Day == DayIn(date),
        ScheduleEvery.Quarter => date.Month % 3 == 1 && date.Day == DayIn(date),
        ScheduleEvery.Year when Lunar => LunarDates.IsOn(date, Month, Day),
        ScheduleEvery.Year => date.Month == Month && date.Day == DayIn(date),
        _ => false,
    };

    /// <summary>The first occurrence strictly after <paramref name="afterUtcTicks"/> in <paramref name="zone"/>, in UTC
    /// ticks; <see cref="CalendarTicks.Never"/> when there is none (a one-off instant passed, the calendar's end, or past
    /// the lunar calendar's range).</summary>
    public long NextAfter(long afterUtcTicks, TimeZoneInfo zone)
    {
        if (Every == ScheduleEvery.Once)
        {
            return Instant.UtcTicks > afterUtcTicks ? Instant.UtcTicks : CalendarTicks.Never;
        }

        return LocalClock.NextAt(afterUtcTicks, At, zone, IsOn, SearchDays);
    }

    // The day of the month the rule means in date's month: Day, or the month's last day when Day is past it.
    private int DayIn(DateOnly date) => Math.Min(Day, DateTime.DaysInMonth(date.Year, date.Month));

    /// <summary>The rule as operators write it: <c>every week on mon at 10:00</c>, <c>every year lunar 08-15 at 09:00</c>,
    /// <c>at 2026-03-01T10:00:00+08:00</c>.</summary>
    public string Describe()
    {
        var at = At.ToString("HH\\:mm", CultureInfo.InvariantCulture);
        return Every switch
        {
            ScheduleEvery.Once => "at " + Instant.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ScheduleEvery.Day => $"every day at {at}",
            ScheduleEvery.Week => $"every week on {WeekDays.Names[(int)Weekday]} at {at}",
            ScheduleEvery.Month or ScheduleEvery.Quarter =>
                $"every {(Every == ScheduleEvery.Month ? "month" : "quarter")} on {(IsLastDay ? "last" : Day.ToString(CultureInfo.InvariantCulture))} at {at}",
            _ => string.Create(CultureInfo.InvariantCulture, $"every year {(Lunar ? "lunar" : "on")} {Month:00}-{Day:00} at {at}"),
        };
    }
}
