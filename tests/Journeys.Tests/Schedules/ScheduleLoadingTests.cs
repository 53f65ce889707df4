using Journeys.Inspection;
using Journeys.Diagnostics;
using Journeys.Language.Loading;
using static Journeys.Tests.Support.Diagnose;

namespace Journeys.Tests.Schedules;

/// <summary>A <c>schedule:</c> entry and <c>date: { lunar: true }</c> at load: each mistake is an error at its
/// file:line:column with a hint, never a crash; a good one loads with reentry always unless written.</summary>
public sealed class ScheduleLoadingTests
{
    // The schedule mapping is on line 4, from column 13: "  schedule: { ... }".
    private static JourneyCatalog LoadSchedule(string schedule, string extra = "") => Load($$"""
        journey: s
        version: 1
        entry:
          schedule: {{schedule}}
        {{extra}}
        start: a
        steps:
          a:
            send: { channel: email, template: t }
        """);

    [Fact]
    public void Schedule_Weekly_LoadsWithReentryAlwaysAndItsRuleInTheInspectionModel()
    {
        var catalog = LoadSchedule("{ every: week, on: mon, at: \"10:00\" }", "  if: \"customer.plan == 'gold'\"");

        Clean(catalog);
        var journey = Assert.Single(catalog.Journeys);
        Assert.Equal(EntryKind.Schedule, journey.Entry.Kind);
        Assert.Equal("every week on mon at 10:00", journey.Entry.Schedule);
        Assert.Equal("customer.plan == 'gold'", journey.Entry.Guard);
        Assert.Equal(new TimeOnly(10, 0), journey.Entry.At);
        Assert.Equal("schedule every week on mon at 10:00 if customer.plan == 'gold'", journey.Entry.Text);
        Assert.Equal(Journeys.Language.Definitions.ReentryKind.Always, journey.Reentry.Kind);
    }

    [Theory]
    [InlineData("{ every: day, at: \"08:00\" }", "every day at 08:00")]
    [InlineData("{ every: month, on: last, at: \"09:00\" }", "every month on last at 09:00")]
    [InlineData("{ every: quarter, on: 1, at: \"09:00\" }", "every quarter on 1 at 09:00")]
    [InlineData("{ every: year, on: \"03-08\", at: \"09:00\" }", "every year on 03-08 at 09:00")]
    [InlineData("{ every: year, lunar: \"08-15\", at: \"09:00\" }", "every year lunar 08-15 at 09:00")]
    [InlineData("{ at: \"2026-03-01T10:00:00+08:00\" }", "at 2026-03-01T10:00:00+08:00")]
    public void Schedule_EachForm_LoadsAndDescribesItself(string schedule, string text)
    {
        var catalog = LoadSchedule(schedule);

        Clean(catalog);
        Assert.Equal(text, catalog.Journeys[0].Entry.Schedule);
    }

    [Theory]
    [InlineData("{ every: week, on: mon }", DiagnosticCodes.MissingKey, "j.yaml:4:13", "missing 'at'")]
    [InlineData("{ on: mon }", DiagnosticCodes.InvalidValue, "j.yaml:4:19", "'on' needs 'every'")]
    [InlineData("{ at: \"10:00\" }", DiagnosticCodes.InvalidValue, "j.yaml:4:19", "a local time of day needs 'every'")]
    [InlineData("{ every: week, on: monday, at: \"10:00\" }", DiagnosticCodes.InvalidValue, "j.yaml:4:32", "did you mean 'mon'?")]
    [InlineData("{ every: week, at: \"10:00\" }", DiagnosticCodes.MissingKey, "j.yaml:4:13", "the weekday, one of mon")]
    [InlineData("{ every: month, on: 32, at: \"10:00\" }", DiagnosticCodes.InvalidValue, "j.yaml:4:33", "1 to 31 or last")]
    [InlineData("{ every: quarter, on: last, at: \"10:00\" }", DiagnosticCodes.InvalidValue, "j.yaml:4:35", "January, April, July and October")]
    [InlineData("{ every: day, on: mon, at: \"10:00\" }", DiagnosticCodes.InvalidValue, "j.yaml:4:31", "takes no 'on'")]
    [InlineData("{ every: year, on: \"02-30\", at: \"10:00\" }", DiagnosticCodes.InvalidValue, "j.yaml:4:32", "a date \"MM-DD\" that exists")]
    [InlineData("{ every: year, lunar: \"13-01\", at: \"10:00\" }", DiagnosticCodes.InvalidValue, "j.yaml:4:35", "lunar date '13-01' does not exist")]
    [InlineData("{ every: year, lunar: \"01-31\", at: \"10:00\" }", DiagnosticCodes.InvalidValue, "j.yaml:4:35", "lunar date '01-31' does not exist")]
    [InlineData("{ every: week, lunar: \"01-01\", at: \"10:00\" }", DiagnosticCodes.InvalidValue, "j.yaml:4:35", "it goes with every: year")]
    [InlineData("{ every: year, on: \"01-01\", lunar: \"01-01\", at: \"10:00\" }", DiagnosticCodes.InvalidValue, "j.yaml:4:48", "not both")]
    [InlineData("{ every: fortnight, at: \"10:00\" }", DiagnosticCodes.InvalidValue, "j.yaml:4:22", "must be one of day, week, month, quarter, year")]
    [InlineData("{ every: week, on: mon, at: \"25:00\" }", DiagnosticCodes.InvalidValue, "j.yaml:4:41", "local time of day")]
    [InlineData("{ every: week, on: mon, at: \"10:00\", days: [mon] }", DiagnosticCodes.UnknownKey, "j.yaml:4:50", "unknown key 'days' in schedule")]
    public void Schedule_Mistake_IsAnErrorAtItsPlaceWithAHint(string schedule, string code, string location, string words)
    {
        var catalog = LoadSchedule(schedule);

        var d = Refused(catalog, code, location);
        Assert.Contains(words, d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DateEntry_LunarWithEveryOnce_IsAnError()
    {
        var catalog = Load("""
            journey: s
            version: 1
            entry:
              date: { trait: birthday, every: once, lunar: true }
            start: a
            steps:
              a:
                send: { channel: email, template: t }
            """);

        var d = Refused(catalog, DiagnosticCodes.InvalidValue, "j.yaml:4:35");
        Assert.Contains("use every: year", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DateEntry_Lunar_LoadsAsYearlyAndLunarInTheInspectionModel()
    {
        var catalog = Load("""
            journey: s
            version: 1
            entry:
              date: { trait: birthday, lunar: true, at: "09:00" }
            start: a
            steps:
              a:
                send: { channel: email, template: t }
            """);

        Clean(catalog);
        var entry = catalog.Journeys[0].Entry;
        Assert.True(entry.Lunar);
        Assert.True(entry.EveryYear);
        Assert.Equal("date birthday lunar every year at 09:00", entry.Text);
    }
}
