using System.Globalization;
using System.Text.RegularExpressions;

namespace Journeys.State;

/// <summary>ISO 8601 date-times with an explicit offset (<c>2026-01-05T10:00:00Z</c>, <c>2026-01-05T18:00:00+08:00</c>):
/// the one form that names an instant. The events file and <c>--until</c> accept only it, and two strings of it compare
/// as instants in expressions. <see cref="DateTimeOffset.TryParse(string, IFormatProvider, DateTimeStyles, out DateTimeOffset)"/>
/// alone also takes <c>01/05/2026</c> and guesses, and reads a time without an offset as local.</summary>
internal static partial class IsoInstant
{
    // Date and time (extended form) with an offset.
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?([Zz]|[+-]\d{2}(:?\d{2})?)$")]
    private static partial Regex WithOffset();

    // The same without an offset, or a date alone: a local time the text does not place.
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?)?$")]
    private static partial Regex WithoutOffset();

    /// <summary>Parses <paramref name="text"/> when it is a date-time with an offset; false for anything else.</summary>
    public static bool TryParse(string text, out DateTimeOffset value)
    {
        value = default;
        // Cheap first: most strings an expression compares are not dates at all.
        return text.Length >= 17 && text[4] == '-' && WithOffset().IsMatch(text) &&
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    /// <summary>True when <paramref name="text"/> is a date, or a date and time, without an offset.</summary>
    public static bool LacksOffset(string text) => WithoutOffset().IsMatch(text);
}
