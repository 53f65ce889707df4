using System.Globalization;
using Journeys.Calendars;
using Journeys.Language.Definitions;
using Journeys.State;

namespace Journeys.Compilation;

/// <summary>Computes when a <c>date</c> entry next comes due: the trait's date (plus the offset), at the entry's local time
/// in the customer's time zone, this year or the next for yearly dates. 29 February falls on 28 February in other years.</summary>
internal static class DateSchedule
{
    /// <summary>The next occurrence strictly after <paramref name="nowTicks"/> (UTC ticks), or null when there is none
    /// (also when it would fall past the end of the calendar, 9999-12-31).</summary>
    public static long? Next(Value trait, DateEntry entry, TimeZoneInfo zone, long nowTicks)
    {
        if (DateOf(trait, zone) is not { } date)
        {
            return null;
        }

        if (entry.Lunar)
        {
            return NextLunar(date, entry, zone, nowTicks);
        }

        if (!entry.EveryYear)
        {
            var once = Occurrence(date, entry, zone);
            return once > nowTicks && !CalendarTicks.IsNever(once) ? once : null;
        }

        var nowLocal = TimeZoneInfo.ConvertTime(new DateTimeOffset(nowTicks, TimeSpan.Zero), zone);
        for (var year = Math.Max(nowLocal.Year - 1, 1); year <= Math.Min(nowLocal.Year + 1, 9999); year++)
        {
            var day = Math.Min(date.Day, DateTime.DaysInMonth(year, date.Month));
            var occurrence = Occurrence(new DateOnly(year, date.Month, day), entry, zone);
            if (CalendarTicks.IsNever(occurrence))
            {
                return null; // later years are later still
            }

            if (occurrence > nowTicks)
            {
                return occurrence;
            }
        }

        return null;
    }

    /// <summary><c>lunar: true</c>: the next day, strictly after <paramref name="nowTicks"/>, with the lunar month and day of
    /// <paramref name="date"/> (born in a leap month: that month's number; day 30 in a month of 29 days: its last day).</summary>
    private static long? NextLunar(DateOnly date, DateEntry entry, TimeZoneInfo zone, long nowTicks)
    {
        if (LunarDates.Of(date) is not { } lunar)
        {
            return null; // outside the lunar calendar's range (1901 to 2100)
        }

        var nowYear = LocalClock.LocalDate(nowTicks, zone).Year;
        for (var year = nowYear - 2; year <= nowYear + 1; year++) // lunar year N's months 11 and 12 can fall in January of N + 1
        {
            if (LunarDates.ToGregorian(year, lunar.Month, lunar.Day) is { } day)
            {
                var occurrence = Occurrence(day, entry, zone);
                if (occurrence > nowTicks)
                {
                    return CalendarTicks.IsNever(occurrence) ? null : occurrence;
                }
            }
        }

        return null;
    }

    /// <summary>The entry's time on <paramref name="date"/> plus its offset, in UTC ticks; <see cref="CalendarTicks.Never"/>
    /// past the calendar's end, 0 before its start.</summary>
    private static long Occurrence(DateOnly date, DateEntry entry, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(entry.At);
        var shifted = CalendarTicks.Add(local.Ticks, entry.Offset.Ticks);
        return CalendarTicks.IsNever(shifted) ? shifted : ToUtc(new DateTime(shifted), zone);
    }

    private static DateOnly? DateOf(Value trait, TimeZoneInfo zone)
    {
        if (trait.Kind == ValueKind.String &&
            DateOnly.TryParseExact(trait.AsString, ["yyyy-MM-dd", "MM-dd", "--MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return d;
        }

        if (trait.TryGetTicks() is { } ticks)
        {
            return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(new DateTimeOffset(ticks, TimeSpan.Zero), zone).DateTime);
        }

        return null;
    }

    /// <inheritdoc cref="LocalClock.ToUtcFirstValidAfter"/>
    internal static long ToUtcFirstValidAfter(DateTime local, TimeZoneInfo zone) => LocalClock.ToUtcFirstValidAfter(local, zone);

    /// <inheritdoc cref="LocalClock.ToUtc"/>
    internal static long ToUtc(DateTime local, TimeZoneInfo zone) => LocalClock.ToUtc(local, zone);
}
