using Journeys.Diagnostics;
using Journeys.Inspection;
using Journeys.Language.Definitions;
using Journeys.Language.Loading;
using Journeys.Tests.Support;

namespace Journeys.Tests.Loading;

/// <summary>Calendars in policy.yaml, a journey's <c>calendar:</c>, <c>bd</c>/<c>bh</c>, <c>from: entry</c> and
/// <c>until:</c> (spec v2, "Calendars and working time", "Timers from the start of the run", "Waiting until a time"): what
/// loads, and every mistake reported at its line and column with a hint.</summary>
public sealed class CalendarLoadingTests
{
    /// <summary>The spec's calendar block, verbatim (the v2 part of the spec file when it is beside the repository).</summary>
    internal static string SpecCalendarPolicy => SpecDocument.V2YamlBlocks.FirstOrDefault(b => b.Contains("calendars:", StringComparison.Ordinal)) ?? """
        policy:
          calendars:
            cn-office:
              timeZone: Asia/Shanghai              # the calendar's own zone, not the customer's
              days: [mon, tue, wed, thu, fri]
              hours: { from: "09:00", to: "18:00" } # optional; default the whole day
              holidays: ["2026-10-01..2026-10-08", "2026-01-01"]   # dates or inclusive ranges
              workdays: ["2026-09-27", "2026-10-10"]  # days off by `days` that are working days
        """;

    /// <summary>A journey with the spec's timers: <c>after: 7bd, from: entry</c> and the two <c>until</c> forms.</summary>
    internal const string SlaJourney = """
        journey: feedback
        entry: { on: feedback_submitted }
        calendar: cn-office
        goal: { on: outcome_reported, within: 7bd }
        start: wait
        steps:
          wait:
            then:
              - { on: answered, goto: answered }
              - { after: 2bh, goto: nudge }
          nudge:
            then:
              - { after: 7bd, from: entry, goto: late }
              - { until: { at: "10:00", days: [mon, tue, wed, thu, fri] }, goto: call }
          call:
            then:
              - { after: 7bd, from: entry, goto: late }
              - { until: { at: "10:00", calendar: cn-office }, goto: answered }
          answered:
          late:
        """;

    private static JourneyCatalog Load(string policy, string journey) =>
        JourneyLoader.LoadYaml(("policy.yaml", policy), ("j.yaml", journey));

    [Fact]
    public void SpecCalendarBlock_LoadedAlone_IsCleanAndReadAsWritten()
    {
        var catalog = JourneyLoader.LoadYaml(("policy.yaml", SpecCalendarPolicy));

        Diagnose.Clean(catalog);
        var calendar = catalog.PolicyDefinition.Calendars["cn-office"];
        Assert.Equal(("Asia/Shanghai", "mon-fri", new TimeOnly(9, 0), new TimeOnly(18, 0)), (calendar.Zone.Id, calendar.Days.ToString(), calendar.Open, calendar.Close));
        Assert.Equal(9, calendar.Holidays.Count()); // 1–8 October and 1 January
        Assert.Equal([new DateOnly(2026, 9, 27), new DateOnly(2026, 10, 10)], calendar.Workdays);
    }

    [Fact]
    public void SpecTimers_WithTheSpecCalendar_LoadCleanAndLabelTheirEdges()
    {
        var catalog = Load(SpecCalendarPolicy, SlaJourney);

        Diagnose.Clean(catalog);
        var journey = Assert.Single(catalog.Journeys);
        Assert.Equal("cn-office", catalog.Definitions[0].Calendar?.Name);
        Assert.Equal("7bd", journey.Goal!.WithinWorkingTime);
        var labels = journey.Steps.SelectMany(s => s.Transitions).Select(t => t.Label).ToList();
        Assert.Equal(["on answered", "after 2bh", "after 7bd from entry", "until 10:00 mon-fri", "after 7bd from entry", "until 10:00 cn-office"], labels);
        var nudge = journey.Steps.Single(s => s.Name == "nudge").Transitions;
        Assert.Equal((TransitionKind.After, "7bd", true, "cn-office", (TimeSpan?)null), (nudge[0].Kind, nudge[0].WorkingTime, nudge[0].FromEntry, nudge[0].Calendar, nudge[0].After));
        Assert.Equal((TransitionKind.Until, "10:00 mon-fri", null), (nudge[1].Kind, nudge[1].Until, nudge[1].Calendar));
    }

    [Fact]
    public void Journey_WithoutCalendarKey_TakesThePolicysOnlyCalendar()
    {
        var catalog = Load(SpecCalendarPolicy, SlaJourney.Replace("calendar: cn-office\n", "", StringComparison.Ordinal));

        Diagnose.Clean(catalog);
        Assert.Equal("cn-office", catalog.Definitions[0].Calendar?.Name);
    }

    [Fact]
    public void FixedDurationFromEntry_Loads()
    {
        var catalog = Load(SpecCalendarPolicy, """
            journey: j
            entry: { on: a }
            start: s
            steps:
              s:
                then: [ { after: 3d, from: entry, goto: end } ]
            """);

        Diagnose.Clean(catalog);
        var timer = Assert.IsType<TimerTransition>(Assert.Single(catalog.Definitions[0].Steps[0].Transitions));
        Assert.Equal((TimeSpan.FromDays(3), true, "after 3d from entry"), (timer.After, timer.FromEntry, timer.Label));
    }

    [Fact]
    public void UnknownCalendar_IsAnErrorAtItsNameWithAHint()
    {
        var catalog = Load(SpecCalendarPolicy, SlaJourney.Replace("calendar: cn-office", "calendar: cn-ofice", StringComparison.Ordinal));

        var d = Diagnose.Refused(catalog, DiagnosticCodes.InvalidValue, "j.yaml:3:11");
        Assert.Contains("unknown calendar 'cn-ofice' (did you mean 'cn-office'?)", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UntilWithUnknownCalendar_IsAnErrorAtItsName()
    {
        var catalog = Load(SpecCalendarPolicy, SlaJourney.Replace("calendar: cn-office }", "calendar: hk-office }", StringComparison.Ordinal));

        var d = Diagnose.Refused(catalog, DiagnosticCodes.InvalidValue, "j.yaml:18:43");
        Assert.Contains("unknown calendar 'hk-office'", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WorkingDays_WithoutAnyCalendar_IsAnErrorAtTheDuration()
    {
        var catalog = Diagnose.Load("""
            journey: j
            entry: { on: a }
            start: s
            steps:
              s:
                then: [ { after: 7bd, goto: end } ]
            """);

        var d = Diagnose.Refused(catalog, DiagnosticCodes.BadDuration, "j.yaml:6:22");
        Assert.Contains("counts working time, but there is no calendar: define one under policy.calendars", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WorkingHours_InAGoal_WithTwoCalendarsAndNoneNamed_IsAnErrorNamingThem()
    {
        var policy = """
            policy:
              calendars:
                a: { timeZone: UTC }
                b: { timeZone: Asia/Shanghai }
            """;
        var catalog = Load(policy, """
            journey: j
            entry: { on: a }
            goal: { on: b, within: 48bh }
            start: s
            steps:
              s:
            """);

        var d = Diagnose.Refused(catalog, DiagnosticCodes.BadDuration, "j.yaml:3:24");
        Assert.Contains("add 'calendar: <name>' (the policy's calendars are a, b)", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("holidays: [\"2026-10-01..2026-10-08\"]\nworkdays: [\"2026-10-03\"]", "policy.yaml:6:18", "2026-10-03 is both a holiday and a workday of calendar 'c'")]
    [InlineData("hours: { from: \"18:00\", to: \"09:00\" }", "policy.yaml:5:14", "hours.from (18:00) must be before hours.to (09:00)")]
    [InlineData("hours: { from: \"09:00\", to: \"09:00\" }", "policy.yaml:5:14", "must be before hours.to")]
    [InlineData("holidays: [\"2026-10-08..2026-10-01\"]", "policy.yaml:5:18", "range '2026-10-08..2026-10-01' in 'holidays' ends before it starts")]
    [InlineData("holidays: [\"2026-13-01\"]", "policy.yaml:5:18", "'2026-13-01' in 'holidays' is not a date or a range")]
    [InlineData("workdays: [\"2026-10-01..2026-10-02..2026-10-03\"]", "policy.yaml:5:18", "is not a date or a range")]
    [InlineData("days: [mon, tues]", "policy.yaml:5:19", "'tues' is not a day of the week (did you mean 'tue'?)")]
    public void BadCalendar_IsAnErrorAtThePlaceWithAHint(string line, string location, string message)
    {
        var policy = "policy:\n  calendars:\n    c:\n      timeZone: UTC\n      " + line.Replace("\n", "\n      ", StringComparison.Ordinal) + "\n";

        var catalog = JourneyLoader.LoadYaml(("policy.yaml", policy));

        var d = Diagnose.Has(catalog, Diagnose.Error, DiagnosticCodes.InvalidValue, location);
        Assert.Contains(message, d.Message, StringComparison.Ordinal);
        Assert.Empty(catalog.PolicyDefinition.Calendars);
    }

    [Fact]
    public void UnknownTimeZone_IsAnErrorAtTheZone()
    {
        var catalog = JourneyLoader.LoadYaml(("policy.yaml", "policy:\n  calendars:\n    c: { timeZone: Asia/Shanghia }\n"));

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.InvalidValue, "policy.yaml:3:20");
        Assert.Contains("unknown time zone 'Asia/Shanghia'", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromWithoutAfter_AndUntilWithDaysAndCalendar_AreErrors()
    {
        var catalog = Load(SpecCalendarPolicy, """
            journey: j
            entry: { on: a }
            start: s
            steps:
              s:
                then:
                  - { from: entry, goto: end }
                  - { until: { at: "10:00", days: [mon], calendar: cn-office }, goto: end }
                  - { after: 2d, from: arrival, goto: end }
                  - { after: 2d, from: exit, goto: end }
            """);

        Diagnose.Has(catalog, Diagnose.Error, DiagnosticCodes.InvalidValue, "j.yaml:7:17");
        Diagnose.Has(catalog, Diagnose.Error, DiagnosticCodes.InvalidValue, "j.yaml:8:56");
        var d = Diagnose.Has(catalog, Diagnose.Error, DiagnosticCodes.InvalidValue, "j.yaml:10:28");
        Assert.Contains("'from' must be entry (the run's entry) or arrival (the default), not 'exit'", d.Message, StringComparison.Ordinal);
        Assert.Equal(3, catalog.Diagnostics.Count(x => x.Severity == Diagnose.Error));
    }

    [Fact]
    public void BadWorkingDuration_IsAnError()
    {
        var catalog = Load(SpecCalendarPolicy, """
            journey: j
            entry: { on: a }
            start: s
            steps:
              s:
                then: [ { after: 0bd, goto: end } ]
            """);

        var d = Diagnose.Refused(catalog, DiagnosticCodes.BadDuration, "j.yaml:6:22");
        Assert.Contains("is not a working-time duration", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEntryTimer_BackToItsOwnStep_IsAnError()
    {
        var catalog = Diagnose.Load("""
            journey: j
            entry: { on: a }
            start: s
            steps:
              s:
                then: [ { after: 1d, from: entry, goto: s } ]
            """);

        var d = Diagnose.Refused(catalog, DiagnosticCodes.DeadStep, "j.yaml:6:13");
        Assert.Contains("leads back to it", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DocsWorkingTimeExample_WithTheSpecCalendar_LoadsWithoutErrors()
    {
        var docs = File.ReadAllText(Path.Combine(Architecture.CoreArchitectureTests.RepositoryRoot(), "docs", "journey-language.md"));
        var block = SpecDocument.Extract(docs).Single(b => b.Contains("journey: complaint-sla", StringComparison.Ordinal));

        Diagnose.NoErrors(Load(SpecCalendarPolicy, block));
    }

    [Fact]
    public void Graph_LabelsTheNewTimers()
    {
        var journey = Assert.Single(Load(SpecCalendarPolicy, SlaJourney).Journeys);

        var mermaid = Journeys.Language.Graph.JourneyGraph.ToMermaid(journey);

        Assert.Contains("nudge --> late : after 7bd from entry", mermaid, StringComparison.Ordinal);
        Assert.Contains("nudge --> call : until 10:00 mon-fri", mermaid, StringComparison.Ordinal);
        Assert.Contains("call --> answered : until 10:00 cn-office", mermaid, StringComparison.Ordinal);
        Assert.Contains("wait --> nudge : after 2bh", mermaid, StringComparison.Ordinal);
    }
}
