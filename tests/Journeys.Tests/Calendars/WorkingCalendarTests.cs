using System.Globalization;
using Journeys.Calendars;
using Journeys.State;

namespace Journeys.Tests.Calendars;

/// <summary>The spec's worked examples of working time (v2, "Calendars and working time") and the clock-change rules of
/// <c>until</c>, on the pure calendar type.</summary>
public sealed class WorkingCalendarTests
{
    /// <summary>The spec's calendar: Asia/Shanghai, Monday to Friday 09:00–18:00, October 1–8 and January 1 off, September 27
    /// and October 10 worked.</summary>
    internal static WorkingCalendar SpecCalendar() => new(
        "cn-office", TimeZones.Find("Asia/Shanghai"), new WeekDays(0b0111110), new TimeOnly(9, 0), new TimeOnly(18, 0),
        [.. Range("2026-10-01", "2026-10-08"), D("2026-01-01")], [D("2026-09-27"), D("2026-10-10")]);

    internal static DateOnly D(string s) => DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static IEnumerable<DateOnly> Range(string first, string last)
    {
        for (var d = D(first); d <= D(last); d = d.AddDays(1))
        {
            yield return d;
        }
    }

    internal static long Ticks(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture).UtcTicks;

    internal static string Local(long ticks, string offset = "+08:00") =>
        new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(TimeSpan.Parse(offset.TrimStart('+'), CultureInfo.InvariantCulture))
            .ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    [Fact]
    public void SevenWorkingDays_FromFriday25September15h_EndMonday12October18h()
    {
        var end = new WorkingDuration(7, Days: true).AddTo(SpecCalendar(), Ticks("2026-09-25T15:00:00+08:00"));

        Assert.Equal("2026-10-12T18:00:00+08:00", Local(end));
    }

    [Fact]
    public void TwoWorkingHours_FromFriday25September17h_EndSunday27September10h()
    {
        var end = new WorkingDuration(2, Days: false).AddTo(SpecCalendar(), Ticks("2026-09-25T17:00:00+08:00"));

        Assert.Equal("2026-09-27T10:00:00+08:00", Local(end));
    }

    [Theory]
    [InlineData("2026-09-25", true)]  // a Friday
    [InlineData("2026-09-26", false)] // a Saturday
    [InlineData("2026-09-27", true)]  // a Sunday listed as a workday
    [InlineData("2026-10-01", false)] // a Thursday, a holiday
    [InlineData("2026-10-08", false)] // the range's last day is included
    [InlineData("2026-10-09", true)]
    [InlineData("2026-10-10", true)]  // a Saturday listed as a workday
    public void IsWorkingDay_FollowsDaysHolidaysAndWorkdays(string date, bool working) =>
        Assert.Equal(working, SpecCalendar().IsWorkingDay(D(date)));

    [Fact]
    public void WorkingDays_StartOnAWorkingDayAfterClose_ThatDayStillDoesNotCount()
    {
        // Monday 28 September 20:00, after close: 1bd is Tuesday's close, not Monday's.
        var end = new WorkingDuration(1, Days: true).AddTo(SpecCalendar(), Ticks("2026-09-28T20:00:00+08:00"));

        Assert.Equal("2026-09-29T18:00:00+08:00", Local(end));
    }

    [Fact]
    public void WorkingDays_WithoutHours_EndAtMidnightAfterTheDay()
    {
        var calendar = new WorkingCalendar("all-day", TimeZones.Find("Asia/Shanghai"), new WeekDays(0b0111110), null, null, [], []);

        var end = new WorkingDuration(1, Days: true).AddTo(calendar, Ticks("2026-09-25T15:00:00+08:00"));

        Assert.Equal("2026-09-29T00:00:00+08:00", Local(end)); // Monday 28th's close is the midnight that ends it
    }

    [Fact]
    public void WorkingHours_StartBeforeOpening_CountFromTheOpening()
    {
        var end = new WorkingDuration(3, Days: false).AddTo(SpecCalendar(), Ticks("2026-09-28T06:00:00+08:00"));

        Assert.Equal("2026-09-28T12:00:00+08:00", Local(end));
    }

    [Fact]
    public void WorkingHours_ThatRunOutAtClose_EndAtTheClose()
    {
        var end = new WorkingDuration(9, Days: false).AddTo(SpecCalendar(), Ticks("2026-09-28T09:00:00+08:00"));

        Assert.Equal("2026-09-28T18:00:00+08:00", Local(end));
    }

    [Fact]
    public void NextWorkingAt_OnAWorkingDayWithTheTimeAhead_IsTheSameDay()
    {
        var due = SpecCalendar().NextWorkingAt(Ticks("2026-09-28T08:00:00+08:00"), new TimeOnly(10, 0));

        Assert.Equal("2026-09-28T10:00:00+08:00", Local(due));
    }

    [Fact]
    public void NextWorkingAt_ExactlyAtTheTime_IsTheNextWorkingDay()
    {
        // Strictly after arrival: Wednesday 30 September 10:00 → the holidays → Friday 9 October.
        var due = SpecCalendar().NextWorkingAt(Ticks("2026-09-30T10:00:00+08:00"), new TimeOnly(10, 0));

        Assert.Equal("2026-10-09T10:00:00+08:00", Local(due));
    }

    [Fact]
    public void WorkingDays_OnACalendarWithNoWorkingDayLeft_NeverEnd()
    {
        var calendar = new WorkingCalendar("once", TimeZoneInfo.Utc, new WeekDays(0), null, null, [], [D("2026-03-02")]);

        Assert.Equal(CalendarTicks.Never, new WorkingDuration(2, Days: true).AddTo(calendar, Ticks("2026-03-01T00:00:00Z")));
        Assert.Equal(CalendarTicks.Never, calendar.NextWorkingAt(Ticks("2026-03-03T00:00:00Z"), new TimeOnly(10, 0)));
    }

    [Theory]
    // New York skips 02:00–03:00 on Sunday 8 March 2026: 02:30 is read as 03:00 EDT, the first valid time after it.
    [InlineData("America/New_York", "2026-03-07T12:00:00-05:00", "02:30", "2026-03-08T07:00:00Z")]
    // New York repeats 01:00–02:00 on Sunday 1 November 2026: 01:30 is its first occurrence, 01:30 EDT.
    [InlineData("America/New_York", "2026-10-31T12:00:00-04:00", "01:30", "2026-11-01T05:30:00Z")]
    // After the first 01:30 has passed, the repeated one does not count again: the next day's.
    [InlineData("America/New_York", "2026-11-01T05:45:00Z", "01:30", "2026-11-02T06:30:00Z")]
    // Berlin skips 02:00–03:00 on 29 March 2026.
    [InlineData("Europe/Berlin", "2026-03-28T12:00:00Z", "02:15", "2026-03-29T01:00:00Z")]
    public void NextAt_AcrossAClockChange_SkippedIsFirstValidAfterAndRepeatedIsFirst(string zone, string after, string at, string expected)
    {
        var due = LocalClock.NextAt(Ticks(after), TimeOnly.Parse(at, CultureInfo.InvariantCulture), TimeZones.Find(zone), _ => true, 8);

        Assert.Equal(Ticks(expected), due);
    }

    [Fact]
    public void WeekDays_Label_NamesARunAsARange() =>
        Assert.Equal(("mon-fri", "sat,sun", ""), (new WeekDays(0b0111110).ToString(), new WeekDays(0b1000001).ToString(), WeekDays.All.ToString()));
}
