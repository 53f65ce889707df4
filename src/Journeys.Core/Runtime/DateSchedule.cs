using System.Globalization;
using Journeys.Definitions;
using Journeys.Expressions;

namespace Journeys.Runtime;

/// <summary>Computes when a <c>date</c> entry next comes due: the trait's date (plus the offset), at the entry's local time
/// in the customer's time zone, this year or the next for yearly dates. 29 February falls on 28 February in other years.</summary>
internal static class DateSchedule
{
    /// <summary>The next occurrence strictly after <paramref name="nowTicks"/> (UTC ticks), or null when there is none.</summary>
    public static long? Next(Value trait, DateEntry entry, TimeZoneInfo zone, long nowTicks)
    {
        if (DateOf(trait, zone) is not { } date)
        {
            return null;
        }

        if (!entry.EveryYear)
        {
            var once = ToUtc(date.ToDateTime(entry.At) + entry.Offset, zone);
            return once > nowTicks ? once : null;
        }

        var nowLocal = TimeZoneInfo.ConvertTime(new DateTimeOffset(nowTicks, TimeSpan.Zero), zone);
        for (var year = nowLocal.Year - 1; year <= nowLocal.Year + 1; year++)
        {
            var day = Math.Min(date.Day, DateTime.DaysInMonth(year, date.Month));
            var occurrence = ToUtc(new DateOnly(year, date.Month, day).ToDateTime(entry.At) + entry.Offset, zone);
            if (occurrence > nowTicks)
            {
                return occurrence;
            }
        }

        return null;
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

    /// <summary>Local wall-clock time to UTC ticks. A time skipped by a spring-forward change moves forward by the gap;
    /// an ambiguous time (fall back) takes its first occurrence.</summary>
    internal static long ToUtc(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // Read the skipped time with the offset in force before the change: that is the time moved forward by the gap.
            return new DateTimeOffset(local, zone.GetUtcOffset(local.AddDays(-1))).UtcTicks;
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).UtcTicks;
    }
}
