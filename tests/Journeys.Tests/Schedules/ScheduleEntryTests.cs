using Journeys.Tests.Runtime;
using static Journeys.Tests.Runtime.Sim;

namespace Journeys.Tests.Schedules;

/// <summary><c>entry: { schedule: {...}, if: ... }</c>: every known customer for whom the guard holds is entered at each
/// occurrence, at its local time in their own zone; a run still open is not entered again; reentry defaults to always.</summary>
public sealed class ScheduleEntryTests
{
    private static string Weekly(string guard = "") => Journey("weekly", "{ every: week, on: mon, at: \"10:00\" }", guard);

    internal static string Journey(string id, string schedule, string guard = "", string steps = "") => $$"""
        journey: {{id}}
        version: 1
        entry:
          schedule: {{schedule}}
        {{(guard.Length == 0 ? "" : $"  if: \"{guard}\"")}}
        start: hello
        steps:
          hello:
            send: { channel: email, template: {{id}}/hello }
        {{steps}}
        """;

    internal static List<string> Entries(string journey, Script script, DateTimeOffset until) =>
        Lines(Run(journey, script, until)).Where(l => l.Contains(" entered ", StringComparison.Ordinal)).ToList();

    [Fact]
    public void WeeklySchedule_ThreeZones_EntersEachCustomerAtMonday1000InTheirOwnZone()
    {
        var entries = Entries(Weekly(), new Script()
            .Identify("ny", T, "America/New_York")
            .Identify("sh", T, "Asia/Shanghai")
            .Identify("utc", T), T.AddDays(8));

        Assert.Equal(
        [
            "2026-01-05T15:00:00Z ny entered hello (schedule 2026-01-05T10:00:00-05:00)", // T is 05:00 Monday in New York
            "2026-01-12T02:00:00Z sh entered hello (schedule 2026-01-12T10:00:00+08:00)", // T is 18:00 Monday in Shanghai
            "2026-01-12T10:00:00Z utc entered hello (schedule 2026-01-12T10:00:00+00:00)", // T is 10:00 itself: strictly after
            "2026-01-12T15:00:00Z ny entered hello (schedule 2026-01-12T10:00:00-05:00)", // reentry defaults to always
        ], entries);
    }

    [Fact]
    public void Schedule_Guard_EntersOnlyCustomersForWhomItHoldsAtTheOccurrence()
    {
        var entries = Entries(Weekly("customer.plan == 'gold'"), new Script()
            .Identify("gold", T, traits: ("plan", "gold"))
            .Identify("basic", T, traits: ("plan", "basic"))
            .Identify("basic", T.AddDays(8), traits: ("plan", "gold")), T.AddDays(15));

        Assert.Equal(
        [
            "2026-01-12T10:00:00Z gold entered hello (schedule 2026-01-12T10:00:00+00:00)",
            "2026-01-19T10:00:00Z basic entered hello (schedule 2026-01-19T10:00:00+00:00)",
            "2026-01-19T10:00:00Z gold entered hello (schedule 2026-01-19T10:00:00+00:00)",
        ], entries);
    }

    [Fact]
    public void Schedule_CustomerSeenOnlyInAnEventNoJourneyReads_IsKnownAndEntered()
    {
        var entries = Entries(Weekly(), new Script().Track("c1", "page_view", T), T.AddDays(8));

        Assert.Equal(["2026-01-12T10:00:00Z c1 entered hello (schedule 2026-01-12T10:00:00+00:00)"], entries);
    }

    [Fact]
    public void Schedule_PreviousRunStillOpen_IsNotEnteredAgainUntilItEnds()
    {
        var journey = Journey("survey", "{ every: week, on: mon, at: \"10:00\" }", steps: """
                then:
                  - after: 10d
                    goto: end
            """);

        var lines = Lines(Run(journey, new Script().Identify("c1", T), T.AddDays(22)));

        Assert.Equal(
        [
            "2026-01-12T10:00:00Z c1 entered hello (schedule 2026-01-12T10:00:00+00:00)",
            "2026-01-22T10:00:00Z c1 completed hello (after 10d)", // the occurrence of the 19th found the run open
            "2026-01-26T10:00:00Z c1 entered hello (schedule 2026-01-26T10:00:00+00:00)",
        ], lines.Where(l => !l.Contains(" sent ", StringComparison.Ordinal)).ToList());
    }

    [Fact]
    public void Schedule_ReentryNever_EntersOnlyAtTheFirstOccurrence()
    {
        var journey = Weekly().Replace("start: hello", "reentry: never\nstart: hello", StringComparison.Ordinal);

        var entries = Entries(journey, new Script().Identify("c1", T), T.AddDays(22));

        Assert.Equal(["2026-01-12T10:00:00Z c1 entered hello (schedule 2026-01-12T10:00:00+00:00)"], entries);
    }

    [Fact]
    public void Schedule_CustomerChangesZoneBeforeTheOccurrence_IsEnteredAtTheNewZonesLocalTimeOnly()
    {
        var entries = Entries(Weekly(), new Script()
            .Identify("c1", T.AddDays(1), "Asia/Shanghai")
            .Identify("c1", T.AddDays(2), "America/New_York"), T.AddDays(8));

        Assert.Equal(["2026-01-12T15:00:00Z c1 entered hello (schedule 2026-01-12T10:00:00-05:00)"], entries);
    }

    [Fact]
    public void DailySchedule_EntersEveryDayAtItsLocalTime()
    {
        var entries = Entries(Journey("daily", "{ every: day, at: \"08:00\" }"), new Script().Identify("c1", T, "Asia/Shanghai"), T.AddDays(3));

        Assert.Equal(
        [
            "2026-01-06T00:00:00Z c1 entered hello (schedule 2026-01-06T08:00:00+08:00)",
            "2026-01-07T00:00:00Z c1 entered hello (schedule 2026-01-07T08:00:00+08:00)",
            "2026-01-08T00:00:00Z c1 entered hello (schedule 2026-01-08T08:00:00+08:00)",
        ], entries);
    }

    [Theory]
    [InlineData("31", new[] { "2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31" })] // a day past the month's end: its last day
    [InlineData("last", new[] { "2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31" })]
    [InlineData("30", new[] { "2026-01-30", "2026-02-28", "2026-03-30", "2026-04-30", "2026-05-30" })]
    [InlineData("5", new[] { "2026-02-05", "2026-03-05", "2026-04-05", "2026-05-05" })] // T is 5 January 10:00: 09:00 has passed
    public void MonthlySchedule_OnADay_FallsOnThatDayOrTheMonthsLast(string on, string[] days)
    {
        var entries = Entries(Journey("monthly", $"{{ every: month, on: {on}, at: \"09:00\" }}"), new Script().Identify("c1", T),
            new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(days.Select(d => $"{d}T09:00:00Z c1 entered hello (schedule {d}T09:00:00+00:00)"), entries);
    }

    [Fact]
    public void QuarterlySchedule_EntersOnThatDayOfJanuaryAprilJulyAndOctober()
    {
        var entries = Entries(Journey("survey", "{ every: quarter, on: 15, at: \"10:00\" }"), new Script().Identify("c1", T),
            new DateTimeOffset(2027, 2, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(
            ["2026-01-15", "2026-04-15", "2026-07-15", "2026-10-15", "2027-01-15"],
            entries.Select(e => e[..10]));
    }

    [Fact]
    public void YearlySchedule_29February_FallsOn28FebruaryInOtherYears()
    {
        var entries = Entries(Journey("leap", "{ every: year, on: \"02-29\", at: \"09:00\" }"), new Script().Identify("c1", T),
            new DateTimeOffset(2029, 1, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(["2026-02-28", "2027-02-28", "2028-02-29"], entries.Select(e => e[..10]));
    }

    [Fact]
    public void LunarSchedule_SpringFestivalAndMidAutumn_FallOnTheirGregorianDaysEachYear()
    {
        var script = new Script().Identify("c1", T, "Asia/Shanghai");
        var until = new DateTimeOffset(2028, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var spring = Entries(Journey("spring", "{ every: year, lunar: \"01-01\", at: \"09:00\" }"), script, until);
        var autumn = Entries(Journey("autumn", "{ every: year, lunar: \"08-15\", at: \"09:00\" }"), script, until);

        Assert.Equal( // Spring Festival 2026: 17 February; 2027: 6 February (09:00 in Shanghai is 01:00Z)
        [
            "2026-02-17T01:00:00Z c1 entered hello (schedule 2026-02-17T09:00:00+08:00)",
            "2027-02-06T01:00:00Z c1 entered hello (schedule 2027-02-06T09:00:00+08:00)",
        ], spring);
        Assert.Equal(["2026-09-25", "2027-09-15"], autumn.Select(e => e[..10])); // Mid-Autumn 2026, 2027
    }

    [Fact]
    public void LunarSchedule_YearWithALeapMonth_TheLeapMonthNeverMatches()
    {
        // 2025 has a leap sixth month (25 July to 22 August): lunar 06-10 is 4 July, not 3 August as well.
        var start = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

        var entries = Entries(Journey("leap", "{ every: year, lunar: \"06-10\", at: \"09:00\" }"), new Script().Identify("c1", start),
            new DateTimeOffset(2025, 12, 31, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(["2025-07-04T09:00:00Z c1 entered hello (schedule 2025-07-04T09:00:00+00:00)"], entries);
    }

    [Theory]
    [InlineData("02:30", "2026-03-08T07:00:00Z")] // skipped by spring forward: the first valid time after it, 03:00 EDT
    [InlineData("01:30", "2026-03-08T06:30:00Z")]
    public void DailySchedule_LocalTimeSkippedBySpringForward_IsTheFirstValidTimeAfterIt(string at, string expected)
    {
        var start = new DateTimeOffset(2026, 3, 7, 12, 0, 0, TimeSpan.Zero);

        var entries = Entries(Journey("dst", $"{{ every: day, at: \"{at}\" }}"), new Script().Identify("c1", start, "America/New_York"), start.AddDays(2));

        Assert.Equal(expected, entries[0][..20]);
    }

    [Fact]
    public void DailySchedule_LocalTimeRepeatedByFallBack_EntersOnceAtTheFirst()
    {
        var start = new DateTimeOffset(2026, 10, 31, 12, 0, 0, TimeSpan.Zero);

        var entries = Entries(Journey("dst", "{ every: day, at: \"01:30\" }"), new Script().Identify("c1", start, "America/New_York"), start.AddDays(2));

        Assert.Equal(
        [
            "2026-11-01T05:30:00Z c1 entered hello (schedule 2026-11-01T01:30:00-04:00)", // 01:30 EDT, not 01:30 EST an hour later
            "2026-11-02T06:30:00Z c1 entered hello (schedule 2026-11-02T01:30:00-05:00)",
        ], entries);
    }

    [Fact]
    public void OneOffSchedule_EntersEveryKnownCustomerOnceAtThatInstant()
    {
        var entries = Entries(Journey("launch", "{ at: \"2026-03-01T10:00:00+08:00\" }"), new Script()
            .Identify("ny", T, "America/New_York")
            .Identify("sh", T, "Asia/Shanghai"), new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(
        [
            "2026-03-01T02:00:00Z ny entered hello (schedule 2026-03-01T10:00:00+08:00)",
            "2026-03-01T02:00:00Z sh entered hello (schedule 2026-03-01T10:00:00+08:00)",
        ], entries);
    }

    [Fact]
    public void OneOffSchedule_InstantAlreadyPast_EntersNobody()
    {
        var entries = Entries(Journey("launch", "{ at: \"2026-01-01T10:00:00+08:00\" }"), new Script().Identify("c1", T), T.AddDays(400));

        Assert.Empty(entries);
    }
}
