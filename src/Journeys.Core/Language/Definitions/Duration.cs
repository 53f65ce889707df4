using System.Globalization;
using Journeys.Decisions;

namespace Journeys.Language.Definitions;

/// <summary>Durations as operators write them: <c>30m</c>, <c>12h</c>, <c>7d</c>, <c>2w</c>, optionally negative (<c>-7d</c>).</summary>
public static class Duration
{
    /// <summary>Parses a duration; returns false with a message when the text is not one.</summary>
    public static bool TryParse(string? text, out TimeSpan value, out string error)
    {
        value = default;
        error = "";
        var s = text?.Trim() ?? "";
        if (s.Length < 2)
        {
            error = $"'{text}' is not a duration: write a whole number followed by m, h, d or w, such as 30m, 12h, 7d or 2w";
            return false;
        }

        var unit = s[^1];
        var numberPart = s[..^1];
        if (!long.TryParse(numberPart, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ||
            !"mhdw".Contains(unit, StringComparison.Ordinal))
        {
            error = $"'{text}' is not a duration: write a whole number followed by m, h, d or w, such as 30m, 12h, 7d or 2w";
            return false;
        }

        const long maxMinutes = 100L * 366 * 24 * 60; // a hundred years is plenty for a journey
        long minutes = unit switch { 'm' => n, 'h' => n * 60, 'd' => n * 1440, _ => n * 10080 };
        if (Math.Abs(n) > maxMinutes || Math.Abs(minutes) > maxMinutes)
        {
            error = $"'{text}' is too long a duration (at most 100 years)";
            return false;
        }

        value = TimeSpan.FromMinutes(minutes);
        return true;
    }

    /// <summary>Formats a duration the way operators write it, using the largest exact unit of days, hours or minutes (<c>14d</c>, not <c>2w</c>).</summary>
    public static string Format(TimeSpan value) => DecisionReason.FormatDuration(value);
}
