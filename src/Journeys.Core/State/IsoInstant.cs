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

    /// <summary>As <see cref="TryParse(string, out DateTimeOffset)"/>, over UTF-8 bytes. The commonest form, <c>yyyy-MM-ddTHH:mm:ssZ</c> (what
    /// exporters write), is read straight from the bytes — each field checked for its range, the day against its month —
    /// and anything else goes through <see cref="TryParse(string, out DateTimeOffset)"/>'s text: the same instants either way (a property test
    /// compares the two).</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out DateTimeOffset value)
    {
        if (TryParseUtcSeconds(utf8, out value))
        {
            return true;
        }

        return TryParse(System.Text.Encoding.UTF8.GetString(utf8), out value);
    }

    /// <summary><c>yyyy-MM-ddTHH:mm:ssZ</c> exactly, every field in range; false (not parsed here) for anything else.</summary>
    internal static bool TryParseUtcSeconds(ReadOnlySpan<byte> t, out DateTimeOffset value)
    {
        value = default;
        if (t.Length != 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':' || t[19] != 'Z')
        {
            return false;
        }

        if (!Digits(t, 0, 4, out var year) || !Digits(t, 5, 2, out var month) || !Digits(t, 8, 2, out var day) ||
            !Digits(t, 11, 2, out var hour) || !Digits(t, 14, 2, out var minute) || !Digits(t, 17, 2, out var second))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false; // the text's reading says what it makes of these
        }

        value = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero);
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> t, int start, int count, out int number)
    {
        number = 0;
        for (var i = start; i < start + count; i++)
        {
            var digit = t[i] - '0';
            if ((uint)digit > 9)
            {
                return false;
            }

            number = (number * 10) + digit;
        }

        return true;
    }

    /// <summary>True when <paramref name="text"/> is a date, or a date and time, without an offset.</summary>
    public static bool LacksOffset(string text) => WithoutOffset().IsMatch(text);
}
