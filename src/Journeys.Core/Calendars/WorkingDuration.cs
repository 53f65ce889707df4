using System.Globalization;
using Journeys.State;

namespace Journeys.Calendars;

/// <summary>A working-time duration: <c>7bd</c> (working days, ending at the close of business of the 7th working day
/// after the start's date) or <c>2bh</c> (working hours, counted only inside a calendar's working hours).</summary>
/// <param name="Count">How many days or hours (positive).</param>
/// <param name="Days">True for <c>bd</c>, false for <c>bh</c>.</param>
internal readonly record struct WorkingDuration(int Count, bool Days)
{
    /// <summary>The most of either unit (100 years' worth of hours).</summary>
    public const int MaxCount = 100 * 366 * 24;

    /// <summary>Parses <c>7bd</c> or <c>2bh</c>; false (no message) when the text does not end in one of those units, or
    /// false with a message when it does but is not a valid count.</summary>
    public static bool TryParse(string? text, out WorkingDuration value, out string? error)
    {
        value = default;
        error = null;
        var s = text?.Trim() ?? "";
        if (!s.EndsWith("bd", StringComparison.Ordinal) && !s.EndsWith("bh", StringComparison.Ordinal))
        {
            return false;
        }

        if (!int.TryParse(s[..^2], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > MaxCount)
        {
            error = $"'{text}' is not a working-time duration: write a whole number from 1 to {MaxCount} followed by bd (working days) or bh (working hours), such as 7bd or 48bh";
            return false;
        }

        value = new WorkingDuration(n, s[^1] == 'd');
        return true;
    }

    /// <summary>The end of this duration from <paramref name="startUtcTicks"/> on <paramref name="calendar"/>.</summary>
    public long AddTo(WorkingCalendar calendar, long startUtcTicks) => Days
        ? calendar.AddWorkingDays(startUtcTicks, Count)
        : calendar.AddWorkingTime(startUtcTicks, TimeSpan.FromHours(Count));

    /// <summary>As operators write it: <c>7bd</c>, <c>2bh</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Count}{(Days ? "bd" : "bh")}");
}
