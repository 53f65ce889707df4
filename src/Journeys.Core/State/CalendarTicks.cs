namespace Journeys.State;

/// <summary>Time arithmetic on UTC ticks that stays inside the calendar <see cref="DateTimeOffset"/> can represent
/// (0001-01-01 to 9999-12-31): a time after the calendar's last tick is <see cref="Never"/> (a timer due then is not
/// set, a send held until then is not sent), one before its first tick is that first tick. Every due time, window end,
/// deadline and gap the runtime adds up goes through <see cref="Add"/>, so an event at either end of the calendar
/// cannot make the arithmetic overflow.</summary>
internal static class CalendarTicks
{
    /// <summary>The calendar's last tick, 9999-12-31T23:59:59.9999999Z.</summary>
    public const long Last = 3155378975999999999; // DateTimeOffset.MaxValue.UtcTicks

    /// <summary>Beyond the calendar: never comes. Compares after every time in it.</summary>
    public const long Never = long.MaxValue;

    /// <summary><paramref name="ticks"/> plus <paramref name="span"/> (either sign): <see cref="Never"/> past the
    /// calendar's end (or when <paramref name="ticks"/> is already never), 0 before its start.</summary>
    public static long Add(long ticks, long span)
    {
        if (ticks > Last)
        {
            return Never;
        }

        if (span >= 0)
        {
            return span > Last - ticks ? Never : ticks + span;
        }

        return ticks < 0 || span < -ticks ? 0 : ticks + span; // no overflow: both sides are in range
    }

    /// <summary>True for a time past the calendar's end.</summary>
    public static bool IsNever(long ticks) => ticks > Last;
}
