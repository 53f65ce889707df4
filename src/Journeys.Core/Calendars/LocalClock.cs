using Journeys.State;

namespace Journeys.Calendars;

/// <summary>Local wall-clock time in a zone to and from UTC ticks, with the clock-change rules the language uses: a local
/// time a spring-forward change skips is read as the first valid time after it, one a fall-back change repeats as its
/// first occurrence. Pure; the same answers for the same inputs.</summary>
internal static class LocalClock
{
    /// <summary>The local date of the UTC instant <paramref name="utcTicks"/> in <paramref name="zone"/>.</summary>
    public static DateOnly LocalDate(long utcTicks, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(new DateTimeOffset(utcTicks, TimeSpan.Zero), zone).DateTime);

    /// <summary>Local wall-clock time to UTC ticks, where a time skipped by a spring-forward change is read as the first
    /// valid local time after it: the instant the clocks changed (02:30 on a day New York skips 02:00–03:00 is 03:00 EDT);
    /// a repeated time is its first occurrence. Past the calendar's end: <see cref="CalendarTicks.Never"/>.</summary>
    public static long ToUtcFirstValidAfter(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (!zone.IsInvalidTime(local) || local.Ticks < TimeSpan.TicksPerDay || local.Ticks > DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay)
        {
            return ToUtc(local, zone);
        }

        // Read with the offset after the change the time falls before it; with the offset before, after it. The change is
        // the first instant between whose offset is the later one.
        var after = zone.GetUtcOffset(local.AddDays(1));
        var (lo, hi) = (local.Ticks - after.Ticks, local.Ticks - zone.GetUtcOffset(local.AddDays(-1)).Ticks);
        while (hi - lo > 1)
        {
            var mid = lo + ((hi - lo) / 2);
            if (zone.GetUtcOffset(new DateTime(mid, DateTimeKind.Utc)) == after)
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }

        return hi;
    }

    /// <summary>Local wall-clock time to UTC ticks. A time skipped by a spring-forward change moves forward by the gap;
    /// an ambiguous time (fall back) takes its first occurrence. A local time near the calendar's ends whose UTC time is
    /// past its end is <see cref="CalendarTicks.Never"/>; before its start, 0.</summary>
    public static long ToUtc(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (zone.IsInvalidTime(local))
        {
            // Read the skipped time with the offset in force before the change: that is the time moved forward by the gap.
            offset = zone.GetUtcOffset(local.Ticks >= TimeSpan.TicksPerDay ? local.AddDays(-1) : local);
        }
        else
        {
            offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        }

        return CalendarTicks.Add(local.Ticks, -offset.Ticks);
    }

    /// <summary>The first local time <paramref name="at"/> in <paramref name="zone"/> strictly after
    /// <paramref name="afterUtcTicks"/> on a date <paramref name="isDay"/> accepts (a skipped time: the first valid time
    /// after it; a repeated one: its first occurrence only). <see cref="CalendarTicks.Never"/> when no accepted date
    /// comes within <paramref name="searchDays"/> days or before the calendar's end.</summary>
    public static long NextAt(long afterUtcTicks, TimeOnly at, TimeZoneInfo zone, Func<DateOnly, bool> isDay, int searchDays)
    {
        if (CalendarTicks.IsNever(afterUtcTicks))
        {
            return CalendarTicks.Never;
        }

        var date = LocalDate(afterUtcTicks, zone);
        for (var i = 0; i <= searchDays; i++, date = date.AddDays(1))
        {
            if (isDay(date))
            {
                var due = ToUtcFirstValidAfter(date.ToDateTime(at), zone);
                if (due > afterUtcTicks)
                {
                    return due;
                }
            }

            if (date == DateOnly.MaxValue)
            {
                break;
            }
        }

        return CalendarTicks.Never;
    }
}
