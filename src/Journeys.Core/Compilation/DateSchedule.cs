using System.Globalization;
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

    /// <summary>Local wall-clock time to UTC ticks, where a time skipped by a spring-forward change is read as the first
    /// valid local time after it: the instant the clocks changed (02:30 on a day New York skips 02:00–03:00 is 03:00 EDT).
    /// What ends at a local time — quiet hours — ends then, since the clock passes that time at the change.</summary>
    internal static long ToUtcFirstValidAfter(DateTime local, TimeZoneInfo zone)
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
    internal static long ToUtc(DateTime local, TimeZoneInfo zone)
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
}
