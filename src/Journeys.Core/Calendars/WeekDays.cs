namespace Journeys.Calendars;

/// <summary>A set of weekdays as operators write them (<c>[mon, tue, wed, thu, fri]</c>), one bit per
/// <see cref="DayOfWeek"/>.</summary>
internal readonly record struct WeekDays(byte Bits)
{
    /// <summary>The names operators write, Sunday first (the order of <see cref="DayOfWeek"/>).</summary>
    public static readonly string[] Names = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    /// <summary>Every day of the week.</summary>
    public static WeekDays All { get; } = new(0x7F);

    /// <summary>True when <paramref name="day"/> is in the set.</summary>
    public bool Contains(DayOfWeek day) => (Bits & (1 << (int)day)) != 0;

    /// <summary>True for an empty set.</summary>
    public bool IsEmpty => Bits == 0;

    /// <summary>This set with <paramref name="day"/> added.</summary>
    public WeekDays With(DayOfWeek day) => new((byte)(Bits | (1 << (int)day)));

    /// <summary>The day a name stands for (<c>mon</c>), or null.</summary>
    public static DayOfWeek? Parse(string name)
    {
        var i = Array.IndexOf(Names, name);
        return i < 0 ? null : (DayOfWeek)i;
    }

    /// <summary>The set as a label: <c>mon-fri</c> for a run of days from Monday, else the names joined by commas;
    /// empty for every day.</summary>
    public override string ToString()
    {
        if (Bits == All.Bits)
        {
            return "";
        }

        // Monday first, as operators read a week.
        var days = Enumerable.Range(1, 7).Select(i => (DayOfWeek)(i % 7)).Where(Contains).ToList();
        var order = days.Select(d => ((int)d + 6) % 7).ToList();
        var run = days.Count >= 3 && order[^1] - order[0] == days.Count - 1;
        return run ? $"{Names[(int)days[0]]}-{Names[(int)days[^1]]}" : string.Join(",", days.Select(d => Names[(int)d]));
    }
}
