using Journeys.State;

namespace Journeys.Calendars;

/// <summary>A working-time calendar (<c>policy.calendars.&lt;name&gt;</c>): its own time zone, the weekdays that are working
/// days, the working hours of a working day (default: the whole day), holidays and make-up workdays. A date is a working
/// day when its weekday is in <see cref="Days"/> and it is not a holiday, or when it is a listed workday. Pure and
/// immutable: the same instant and duration always give the same end.</summary>
internal sealed class WorkingCalendar
{
    private readonly HashSet<DateOnly> _holidays;
    private readonly HashSet<DateOnly> _workdays;
    private readonly DateOnly _lastListed; // past it, working days follow the weekly pattern alone

    /// <param name="name">The calendar's name in the policy.</param>
    /// <param name="zone">The calendar's own time zone.</param>
    /// <param name="days">The weekdays that are working days.</param>
    /// <param name="open">When a working day opens; null with <paramref name="close"/> for the whole day.</param>
    /// <param name="close">When it closes (after <paramref name="open"/>).</param>
    /// <param name="holidays">Dates that are not working days though their weekday is.</param>
    /// <param name="workdays">Dates that are working days though their weekday is not.</param>
    public WorkingCalendar(string name, TimeZoneInfo zone, WeekDays days, TimeOnly? open, TimeOnly? close,
        IEnumerable<DateOnly> holidays, IEnumerable<DateOnly> workdays)
    {
        if (open is { } o && close is { } c && o >= c)
        {
            throw new ArgumentException($"calendar '{name}': hours.from {o:HH:mm} is not before hours.to {c:HH:mm}", nameof(close));
        }

        Name = name;
        Zone = zone;
        Days = days;
        Open = open;
        Close = close;
        _holidays = [.. holidays];
        _workdays = [.. workdays];
        _lastListed = _holidays.Concat(_workdays).DefaultIfEmpty(DateOnly.MinValue).Max();
    }

    /// <summary>The calendar's name in the policy.</summary>
    public string Name { get; }

    /// <summary>The calendar's own time zone (not the customer's).</summary>
    public TimeZoneInfo Zone { get; }

    /// <summary>The weekdays that are working days.</summary>
    public WeekDays Days { get; }

    /// <summary>When a working day opens (null: at midnight).</summary>
    public TimeOnly? Open { get; }

    /// <summary>When a working day closes (null: at the next midnight).</summary>
    public TimeOnly? Close { get; }

    /// <summary>The holidays, in date order.</summary>
    public IEnumerable<DateOnly> Holidays => _holidays.Order();

    /// <summary>The make-up workdays, in date order.</summary>
    public IEnumerable<DateOnly> Workdays => _workdays.Order();

    /// <summary>True when <paramref name="date"/> is a working day of this calendar.</summary>
    public bool IsWorkingDay(DateOnly date) =>
        _workdays.Contains(date) || (Days.Contains(date.DayOfWeek) && !_holidays.Contains(date));

    /// <summary><c>Nbd</c>: the close of business of the <paramref name="count"/>th working day after the local date
    /// <paramref name="startUtcTicks"/> falls on (that date never counts), in UTC ticks; <see cref="CalendarTicks.Never"/>
    /// when there are not that many working days before the calendar's end.</summary>
    public long AddWorkingDays(long startUtcTicks, int count)
    {
        if (CalendarTicks.IsNever(startUtcTicks))
        {
            return CalendarTicks.Never;
        }

        var date = LocalClock.LocalDate(startUtcTicks, Zone);
        for (var counted = 0; counted < count;)
        {
            if (date >= DateOnly.MaxValue.AddDays(-1) || (Days.IsEmpty && date > _lastListed))
            {
                return CalendarTicks.Never;
            }

            date = date.AddDays(1);
            if (IsWorkingDay(date))
            {
                counted++;
            }
        }

        return CloseOf(date);
    }

    /// <summary><c>Nbh</c>: the instant by which <paramref name="span"/> of working time has passed from
    /// <paramref name="startUtcTicks"/>: only time inside the working hours of working days counts, and a start outside
    /// them counts from the next opening. A span that runs out exactly at a close ends at that close.</summary>
    public long AddWorkingTime(long startUtcTicks, TimeSpan span)
    {
        if (CalendarTicks.IsNever(startUtcTicks))
        {
            return CalendarTicks.Never;
        }

        var remaining = span.Ticks;
        var date = LocalClock.LocalDate(startUtcTicks, Zone);
        while (true)
        {
            if (IsWorkingDay(date))
            {
                var open = OpenOf(date);
                var close = CloseOf(date);
                var from = Math.Max(open, startUtcTicks);
                if (from < close)
                {
                    if (remaining <= close - from)
                    {
                        return CalendarTicks.Add(from, remaining);
                    }

                    remaining -= close - from;
                }
            }

            if (date >= DateOnly.MaxValue.AddDays(-1) || (Days.IsEmpty && date > _lastListed))
            {
                return CalendarTicks.Never;
            }

            date = date.AddDays(1);
        }
    }

    /// <summary>The first local time <paramref name="at"/> in the calendar's zone strictly after
    /// <paramref name="afterUtcTicks"/> on a working day (the same day when it is one and <paramref name="at"/> is still
    /// ahead).</summary>
    public long NextWorkingAt(long afterUtcTicks, TimeOnly at)
    {
        // Past the last listed date the weekly pattern repeats: a week more finds a working day if there ever is one.
        var start = LocalClock.LocalDate(Math.Min(afterUtcTicks, CalendarTicks.Last), Zone);
        var searchDays = Math.Max(0, _lastListed.DayNumber - start.DayNumber) + 8;
        return LocalClock.NextAt(afterUtcTicks, at, Zone, IsWorkingDay, searchDays);
    }

    private long OpenOf(DateOnly date) => LocalClock.ToUtcFirstValidAfter(date.ToDateTime(Open ?? TimeOnly.MinValue), Zone);

    private long CloseOf(DateOnly date) => Close is { } close
        ? LocalClock.ToUtcFirstValidAfter(date.ToDateTime(close), Zone)
        : LocalClock.ToUtcFirstValidAfter(date.AddDays(1).ToDateTime(TimeOnly.MinValue), Zone);
}
