using System.Globalization;

namespace Journeys.Calendars;

/// <summary>Dates in the Chinese lunisolar calendar (<see cref="ChineseLunisolarCalendar"/>, 1901-02-19 to 2101-01-28):
/// a Gregorian date's lunar month and day, and the Gregorian date of a lunar month and day in a lunar year. Months are
/// numbered 1 to 12 as people name them; a leap month (the second month of a number in a year that has one) is told
/// apart, never renumbered. Pure.</summary>
internal static class LunarDates
{
    private static readonly ChineseLunisolarCalendar Calendar = new();
    private static readonly DateOnly First = DateOnly.FromDateTime(Calendar.MinSupportedDateTime);
    private static readonly DateOnly Last = DateOnly.FromDateTime(Calendar.MaxSupportedDateTime);

    /// <summary>The longest lunar month: a month has 29 or 30 days.</summary>
    public const int MaxDay = 30;

    /// <summary>The lunar year, month (1 to 12), day and whether the month is a leap month of <paramref name="date"/>;
    /// null outside the calendar's range.</summary>
    public static (int Year, int Month, int Day, bool Leap)? Of(DateOnly date)
    {
        if (date < First || date > Last)
        {
            return null;
        }

        var at = date.ToDateTime(TimeOnly.MinValue);
        var year = Calendar.GetYear(at);
        var index = Calendar.GetMonth(at); // 1 to 13 in a year with a leap month
        var leapIndex = Calendar.GetLeapMonth(year); // the leap month's index (the month after the one it repeats), or 0
        var month = leapIndex > 0 && index >= leapIndex ? index - 1 : index;
        return (year, month, Calendar.GetDayOfMonth(at), leapIndex > 0 && index == leapIndex);
    }

    /// <summary>True when <paramref name="date"/> is day <paramref name="day"/> of the (not leap) lunar month
    /// <paramref name="month"/>; a day past the month's end (30 in a month of 29 days) is its last day.</summary>
    public static bool IsOn(DateOnly date, int month, int day)
    {
        if (Of(date) is not { Leap: false } lunar || lunar.Month != month)
        {
            return false;
        }

        return lunar.Day == day || (day > lunar.Day && lunar.Day == DaysIn(lunar.Year, month) && day <= MaxDay);
    }

    /// <summary>The Gregorian date of day <paramref name="day"/> (past the month's end: its last day) of the lunar month
    /// <paramref name="month"/> (not the leap one) of lunar year <paramref name="year"/>; null outside the calendar's range.</summary>
    public static DateOnly? ToGregorian(int year, int month, int day)
    {
        if (year < Calendar.GetYear(Calendar.MinSupportedDateTime) || year > Calendar.GetYear(Calendar.MaxSupportedDateTime))
        {
            return null;
        }

        var index = IndexOf(year, month);
        var d = Math.Min(day, Calendar.GetDaysInMonth(year, index));
        return DateOnly.FromDateTime(Calendar.ToDateTime(year, index, d, 0, 0, 0, 0));
    }

    private static int DaysIn(int year, int month) => Calendar.GetDaysInMonth(year, IndexOf(year, month));

    private static int IndexOf(int year, int month)
    {
        var leapIndex = Calendar.GetLeapMonth(year);
        return leapIndex > 0 && month >= leapIndex ? month + 1 : month;
    }
}
