using Journeys.Calendars;
using Journeys.Language.Loading;
using static Journeys.Tests.Calendars.WorkingCalendarTests;

namespace Journeys.Tests.Calendars;

/// <summary>The samples' <c>cn-office</c> calendar: mainland China's 2026 public holidays and make-up workdays as the
/// State Council General Office's notice of 4 November 2025 sets them.</summary>
public sealed class SampleCalendarTests
{
    private static WorkingCalendar CnOffice() =>
        JourneyLoader.LoadFolder(Path.Combine(AppContext.BaseDirectory, "samples", "journeys")).ThrowIfInvalid().PolicyDefinition.Calendars["cn-office"];

    [Theory]
    [InlineData("2026-01-01", "2026-01-03")]
    [InlineData("2026-02-15", "2026-02-23")]
    [InlineData("2026-04-04", "2026-04-06")]
    [InlineData("2026-05-01", "2026-05-05")]
    [InlineData("2026-06-19", "2026-06-21")]
    [InlineData("2026-09-25", "2026-09-27")]
    [InlineData("2026-10-01", "2026-10-07")]
    public void PublicHolidays_AreDaysOff(string first, string last) =>
        Assert.All(Range(first, last), d => Assert.False(CnOffice().IsWorkingDay(d), $"{d} should be off"));

    [Theory]
    [InlineData("2026-01-04")]
    [InlineData("2026-02-14")]
    [InlineData("2026-02-28")]
    [InlineData("2026-05-09")]
    [InlineData("2026-09-20")]
    [InlineData("2026-10-10")]
    public void MakeUpWorkdays_AreWorkingDays(string date) => Assert.True(CnOffice().IsWorkingDay(D(date)));

    [Fact]
    public void SevenWorkingDays_BeforeMidAutumnAndNationalDay_SkipTheHolidaysAndCountTheMakeUpSunday()
    {
        // From Friday 18 September 15:00: Sun 20 (make-up), 21, 22, 23, 24, (25–27 off), 28, 29.
        var end = new WorkingDuration(7, Days: true).AddTo(CnOffice(), Ticks("2026-09-18T15:00:00+08:00"));

        Assert.Equal("2026-09-29T18:00:00+08:00", Local(end));
    }

    [Fact]
    public void Calendar_IsShanghaiOfficeHours() =>
        Assert.Equal(("Asia/Shanghai", "mon-fri", new TimeOnly(9, 0), new TimeOnly(18, 0)), (CnOffice().Zone.Id, CnOffice().Days.ToString(), CnOffice().Open, CnOffice().Close));
}
