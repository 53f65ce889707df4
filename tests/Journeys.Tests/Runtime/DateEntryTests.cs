using static Journeys.Tests.Runtime.Sim;

namespace Journeys.Tests.Runtime;

/// <summary><c>entry: { date: {...} }</c>: entered at a local time of the customer derived from a date trait, every year or
/// once with an offset; the decisions carry the UTC instant.</summary>
public sealed class DateEntryTests
{
    private static readonly string Birthday =
        SpecJourneys.OneStep("birthday", "date: { trait: birthday, every: year, at: \"09:00\" }", reentry: "always");

    private static readonly string Renewal =
        SpecJourneys.OneStep("renewal", "date: { trait: serviceEndsAt, offset: -7d, at: \"10:00\" }");

    private static List<string> Entries(string journey, Script script, DateTimeOffset until) =>
        Lines(Run(journey, script, until)).Where(l => l.Contains(" entered ", StringComparison.Ordinal)).ToList();

    [Fact]
    public void BirthdayEntry_AsiaShanghai_EntersAt0900LocalEveryYear()
    {
        var entries = Entries(Birthday, new Script()
            .Identify("c1", T, "Asia/Shanghai", ("birthday", "1990-03-15")), new DateTimeOffset(2027, 12, 31, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(
        [
            "2026-03-15T01:00:00Z c1 entered hello (date birthday)",
            "2027-03-15T01:00:00Z c1 entered hello (date birthday)",
        ], entries);
    }

    [Fact]
    public void BirthdayEntry_AmericaNewYork_FollowsDaylightSavingTimeEachYear()
    {
        // 10 March is after the 2026 change to EDT (8 March) and before the 2027 one (14 March).
        var entries = Entries(Birthday, new Script()
            .Identify("c1", T, "America/New_York", ("birthday", "1985-03-10")), new DateTimeOffset(2027, 12, 31, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(
        [
            "2026-03-10T13:00:00Z c1 entered hello (date birthday)",
            "2027-03-10T14:00:00Z c1 entered hello (date birthday)",
        ], entries);
    }

    [Fact]
    public void BirthdayEntry_SameBirthdayInTwoZones_EntersAtEachCustomersOwn0900()
    {
        var entries = Entries(Birthday, new Script()
            .Identify("ny", T, "America/New_York", ("birthday", "1990-06-01"))
            .Identify("sh", T, "Asia/Shanghai", ("birthday", "1990-06-01")), new DateTimeOffset(2026, 12, 31, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(
        [
            "2026-06-01T01:00:00Z sh entered hello (date birthday)",
            "2026-06-01T13:00:00Z ny entered hello (date birthday)",
        ], entries);
    }

    [Fact]
    public void BirthdayEntry_TodayAlreadyPast0900_FirstEntryIsNextYear()
    {
        var entries = Entries(Birthday, new Script()
            .Identify("c1", new DateTimeOffset(2026, 3, 15, 2, 0, 0, TimeSpan.Zero), "Asia/Shanghai", ("birthday", "1990-03-15")),
            new DateTimeOffset(2027, 12, 31, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(["2027-03-15T01:00:00Z c1 entered hello (date birthday)"], entries);
    }

    [Fact]
    public void BirthdayEntry_29February_EntersOn28FebruaryInOtherYears()
    {
        var entries = Entries(Birthday, new Script()
            .Identify("c1", T, traits: ("birthday", "2000-02-29")), new DateTimeOffset(2028, 12, 31, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(
        [
            "2026-02-28T09:00:00Z c1 entered hello (date birthday)",
            "2027-02-28T09:00:00Z c1 entered hello (date birthday)",
            "2028-02-29T09:00:00Z c1 entered hello (date birthday)",
        ], entries);
    }

    [Fact]
    public void BirthdayEntry_ReentryNever_EntersOnlyTheFirstYear()
    {
        var once = SpecJourneys.OneStep("birthday", "date: { trait: birthday, every: year, at: \"09:00\" }");

        var entries = Entries(once, new Script()
            .Identify("c1", T, "Asia/Shanghai", ("birthday", "1990-03-15")), new DateTimeOffset(2027, 12, 31, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(["2026-03-15T01:00:00Z c1 entered hello (date birthday)"], entries);
    }

    [Fact]
    public void BirthdayEntry_TimeZoneChangedLater_MovesTheNextOccurrence()
    {
        var entries = Entries(Birthday, new Script()
            .Identify("c1", T, "Asia/Shanghai", ("birthday", "1990-03-15"))
            .Identify("c1", T.AddDays(10), "America/New_York"), new DateTimeOffset(2026, 12, 31, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(["2026-03-15T13:00:00Z c1 entered hello (date birthday)"], entries);
    }

    [Theory]
    [InlineData("02:30", "2026-03-08T07:30:00Z")] // 02:30 does not exist that night in New York: 03:30 EDT
    [InlineData("02:15", "2026-03-08T07:15:00Z")]
    [InlineData("02:00", "2026-03-08T07:00:00Z")]
    public void DateEntry_LocalTimeSkippedBySpringForward_MovesForwardByTheGap(string at, string expected)
    {
        var journey = SpecJourneys.OneStep("dst", $"date: {{ trait: day, at: \"{at}\" }}");

        var entries = Entries(journey, new Script().Identify("c1", T, "America/New_York", ("day", "2026-03-08")), T.AddDays(100));

        Assert.Equal([$"{expected} c1 entered hello (date day)"], entries);
    }

    [Fact]
    public void DateEntry_LocalTimeRepeatedByFallBack_TakesTheFirstOccurrence()
    {
        var journey = SpecJourneys.OneStep("dst", "date: { trait: day, at: \"01:30\" }");

        var entries = Entries(journey, new Script().Identify("c1", T, "America/New_York", ("day", "2026-11-01")), T.AddDays(400));

        Assert.Equal(["2026-11-01T05:30:00Z c1 entered hello (date day)"], entries); // 01:30 EDT, not 01:30 EST
    }

    [Fact]
    public void OffsetDateEntry_SevenDaysBeforeServiceEnds_EntersAt1000Local()
    {
        var lines = Lines(Run(Renewal, new Script()
            .Identify("c1", T, traits: ("serviceEndsAt", "2026-06-30T00:00:00Z")), new DateTimeOffset(2027, 12, 31, 0, 0, 0, TimeSpan.Zero)));

        Assert.Equal(
        [
            "2026-06-23T10:00:00Z c1 entered hello (date serviceEndsAt)",
            "2026-06-23T10:00:00Z c1 sent hello email:renewal/hello",
            "2026-06-23T10:00:00Z c1 completed hello",
        ], lines);
    }

    [Fact]
    public void OffsetDateEntry_CustomerInShanghai_EntersAt1000ShanghaiTime()
    {
        var entries = Entries(Renewal, new Script()
            .Identify("c1", T, "Asia/Shanghai", ("serviceEndsAt", "2026-06-30")), new DateTimeOffset(2027, 12, 31, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(["2026-06-23T02:00:00Z c1 entered hello (date serviceEndsAt)"], entries);
    }

    [Fact]
    public void OffsetDateEntry_TraitChangedByIdentify_ReschedulesToTheNewDateOnly()
    {
        var entries = Entries(Renewal, new Script()
            .Identify("c1", T, traits: ("serviceEndsAt", "2026-06-30T00:00:00Z"))
            .Identify("c1", T.AddDays(30), traits: ("serviceEndsAt", "2026-09-30T00:00:00Z")), new DateTimeOffset(2027, 12, 31, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(["2026-09-23T10:00:00Z c1 entered hello (date serviceEndsAt)"], entries);
    }

    [Fact]
    public void OffsetDateEntry_DateAlreadyPassed_NeverEnters()
    {
        var entries = Entries(Renewal, new Script()
            .Identify("c1", T, traits: ("serviceEndsAt", "2026-01-10T00:00:00Z")), new DateTimeOffset(2027, 12, 31, 0, 0, 0, TimeSpan.Zero));

        Assert.Empty(entries);
    }

    [Fact]
    public void OffsetDateEntry_TraitRemoved_CancelsTheEntry()
    {
        var entries = Entries(Renewal, new Script()
            .Identify("c1", T, traits: ("serviceEndsAt", "2026-06-30T00:00:00Z"))
            .Identify("c1", T.AddDays(30), traits: ("serviceEndsAt", null)), new DateTimeOffset(2027, 12, 31, 0, 0, 0, TimeSpan.Zero));

        Assert.Empty(entries);
    }
}
