using Journeys.Calendars;
using static Journeys.Tests.Runtime.Sim;
using Journeys.Tests.Runtime;

namespace Journeys.Tests.Schedules;

/// <summary>The lunisolar calendar as the schedules read it, against published festival dates, and
/// <c>date: { lunar: true }</c>: a trait's date repeated on its lunar month and day each year.</summary>
public sealed class LunarDateTests
{
    [Theory]
    [InlineData("2026-02-17", 1, 1, false)]  // Spring Festival 2026
    [InlineData("2025-10-06", 8, 15, false)] // Mid-Autumn 2025
    [InlineData("2025-07-04", 6, 10, false)]
    [InlineData("2025-08-03", 6, 10, true)]  // the leap sixth month of 2025
    public void LunarDates_Of_GivesTheLunarMonthDayAndLeapMonth(string date, int month, int day, bool leap)
    {
        var lunar = LunarDates.Of(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture))!.Value;

        Assert.Equal((month, day, leap), (lunar.Month, lunar.Day, lunar.Leap));
    }

    [Fact]
    public void LunarDates_OutsideTheCalendarsRange_IsNotADate()
    {
        Assert.Null(LunarDates.Of(new DateOnly(1800, 1, 1)));
        Assert.False(LunarDates.IsOn(new DateOnly(2200, 1, 1), 1, 1));
        Assert.Null(LunarDates.ToGregorian(2200, 1, 1));
    }

    [Fact]
    public void LunarDateEntry_BornOnMidAutumn_EntersOnMidAutumnEachYear()
    {
        var journey = SpecJourneys.OneStep("lunar-birthday", "date: { trait: birthday, lunar: true, at: \"09:00\" }", reentry: "always");

        var entries = Lines(Run(journey, new Script().Identify("c1", T, "Asia/Shanghai", ("birthday", "2025-10-06")),
            new DateTimeOffset(2028, 1, 1, 0, 0, 0, TimeSpan.Zero))).Where(l => l.Contains(" entered ", StringComparison.Ordinal)).ToList();

        Assert.Equal(
        [
            "2026-09-25T01:00:00Z c1 entered hello (date birthday)", // Mid-Autumn 2026, 09:00 in Shanghai
            "2027-09-15T01:00:00Z c1 entered hello (date birthday)",
        ], entries);
    }

    [Fact]
    public void LunarDateEntry_WithAnOffset_MovesFromTheLunarDay()
    {
        var journey = SpecJourneys.OneStep("eve", "date: { trait: birthday, lunar: true, offset: -1d, at: \"18:00\" }", reentry: "always");

        var entries = Lines(Run(journey, new Script().Identify("c1", T, traits: ("birthday", "2026-02-17")),
            new DateTimeOffset(2027, 12, 31, 0, 0, 0, TimeSpan.Zero))).Where(l => l.Contains(" entered ", StringComparison.Ordinal)).ToList();

        Assert.Equal(["2026-02-16T18:00:00Z", "2027-02-05T18:00:00Z"], entries.Select(e => e[..20])); // the eves of Spring Festival
    }
}
