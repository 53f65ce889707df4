using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.Sqlite;
using Journeys.State;
using Journeys.Tests.Loading;
using Journeys.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static Journeys.Tests.Runtime.Sim;

namespace Journeys.Tests.Runtime;

/// <summary>The v2 timers at run time (spec v2, "Calendars and working time", "Timers from the start of the run",
/// "Waiting until a time"): <c>bd</c>/<c>bh</c> on the spec's calendar, <c>from: entry</c> armed or taken on arrival in
/// its place, <c>until</c> in the customer's zone or on a calendar, <c>goal.within</c> in working days, and due times that
/// survive a restart on the SQLite store.</summary>
public sealed class WorkingTimeTimerTests
{
    /// <summary>Friday 2026-09-25 15:00 +08:00, the start of the spec's <c>7bd</c> example.</summary>
    private static readonly DateTimeOffset Friday15 = new(2026, 9, 25, 15, 0, 0, TimeSpan.FromHours(8));

    private static JourneyCatalog WithSpecCalendar(string journey)
    {
        var catalog = JourneyLoader.LoadYaml(("policy.yaml", CalendarLoadingTests.SpecCalendarPolicy), ("j.yaml", journey));
        Diagnose.NoErrors(catalog);
        return catalog;
    }

    private static string Wait(string transition) => $$"""
        journey: wait
        entry: { on: joined }
        start: first
        steps:
          first:
            then: [ {{transition}} ]
          second:
        """;

    [Theory]
    [InlineData("{ after: 7bd, goto: second }", "2026-09-25T07:00:00Z", "2026-10-12T10:00:00Z", "after 7bd")]           // Mon 12 Oct 18:00 +08:00
    [InlineData("{ after: 2bh, goto: second }", "2026-09-25T09:00:00Z", "2026-09-27T02:00:00Z", "after 2bh")]           // Sun 27 Sep 10:00 +08:00
    [InlineData("{ until: { at: \"10:00\", calendar: cn-office }, goto: second }", "2026-09-30T03:00:00Z", "2026-10-09T02:00:00Z", "until 10:00 cn-office")]
    public void SpecExamples_MoveAtTheWorkingTimeTheSpecGives(string transition, string entered, string moved, string label)
    {
        var at = DateTimeOffset.Parse(entered, System.Globalization.CultureInfo.InvariantCulture);

        var lines = Lines(Run(WithSpecCalendar(Wait(transition)), new Script().Track("c1", "joined", at), at.AddDays(30)));

        Assert.Equal(
        [
            $"{entered} c1 entered first (on joined)",
            $"{moved} c1 moved second from first ({label})",
            $"{moved} c1 completed second",
        ], lines);
    }

    [Fact]
    public void FromEntry_NotYetDueOnArrival_FiresAtEntryPlusTheDuration()
    {
        var lines = Lines(Run(Load("""
            journey: j
            entry: { on: joined }
            start: a
            steps:
              a:
                then: [ { after: 1d, goto: b } ]
              b:
                then:
                  - { after: 3d, from: entry, goto: late }
                  - { after: 5d, goto: done }
              late:
              done:
            """), new Script().Track("c1", "joined", T), T.AddDays(10)));

        Assert.Equal(
        [
            "2026-01-05T10:00:00Z c1 entered a (on joined)",
            "2026-01-06T10:00:00Z c1 moved b from a (after 1d)",
            "2026-01-08T10:00:00Z c1 moved late from b (after 3d from entry)",
            "2026-01-08T10:00:00Z c1 completed late",
        ], lines);
    }

    [Fact]
    public void FromEntry_PassedOnArrival_IsTakenOnArrivalInItsPlace()
    {
        var journey = """
            journey: j
            entry: { on: joined }
            start: a
            steps:
              a:
                then: [ { after: 2d, goto: b } ]
              b:
                then:
                  - { if: "customer.vip == true", goto: vip }
                  - { after: 1d, from: entry, goto: late }
                  - { if: "true", goto: done }
              vip:
              late:
              done:
            """;

        var lines = Lines(Run(Load(journey), new Script()
            .Identify("c1", T.AddMinutes(-1), null, ("vip", true)).Track("c1", "joined", T)
            .Identify("c2", T.AddMinutes(-1), null, ("vip", false)).Track("c2", "joined", T), T.AddDays(10)));

        Assert.Contains("2026-01-07T10:00:00Z c1 moved vip from b (if customer.vip == true)", lines); // the earlier branch first
        Assert.Contains("2026-01-07T10:00:00Z c2 moved late from b (after 1d from entry)", lines);   // then the passed timer, before 'if true'
    }

    [Fact]
    public void FromEntry_InTheStartStep_IsNeverPassedOnArrival()
    {
        var lines = Lines(Run(Load(Wait("{ after: 12h, from: entry, goto: second }")), new Script().Track("c1", "joined", T), T.AddDays(2)));

        Assert.Equal("2026-01-05T22:00:00Z c1 moved second from first (after 12h from entry)", lines[1]);
    }

    [Theory]
    // Friday 6 March 12:00 in New York; Sunday 8 March skips 02:00–03:00: 02:30 is read as 03:00 EDT (07:00Z).
    [InlineData("America/New_York", "2026-03-06T17:00:00Z", "02:30", "[sun]", "2026-03-08T07:00:00Z", "until 02:30 sun")]
    // Saturday 31 October in New York; Sunday 1 November repeats 01:00–02:00: 01:30 is its first occurrence, EDT (05:30Z).
    [InlineData("America/New_York", "2026-10-31T16:00:00Z", "01:30", "[sun]", "2026-11-01T05:30:00Z", "until 01:30 sun")]
    // Shanghai, Friday 09:00 local: the next weekday 10:00 is the same day.
    [InlineData("Asia/Shanghai", "2026-01-09T01:00:00Z", "10:00", "[mon, tue, wed, thu, fri]", "2026-01-09T02:00:00Z", "until 10:00 mon-fri")]
    // Shanghai, Friday 11:00 local: strictly after arrival, so Monday.
    [InlineData("Asia/Shanghai", "2026-01-09T03:00:00Z", "10:00", "[mon, tue, wed, thu, fri]", "2026-01-12T02:00:00Z", "until 10:00 mon-fri")]
    public void Until_FiresAtTheFirstSuchLocalTimeOfTheCustomer(string zone, string entered, string at, string days, string moved, string label)
    {
        var t = DateTimeOffset.Parse(entered, System.Globalization.CultureInfo.InvariantCulture);
        var journey = Wait($$"""{ until: { at: "{{at}}", days: {{days}} }, goto: second }""");

        var lines = Lines(Run(Load(journey), new Script().Identify("c1", t.AddMinutes(-1), zone).Track("c1", "joined", t), t.AddDays(10)));

        Assert.Equal($"{moved} c1 moved second from first ({label})", lines[1]);
    }

    [Fact]
    public void Until_AndAnEarlierAfter_TheEarlierFires()
    {
        var journey = """
            journey: j
            entry: { on: joined }
            start: a
            steps:
              a:
                then:
                  - { until: { at: "10:00" }, goto: b }
                  - { after: 2h, goto: c }
              b:
              c:
            """;

        var lines = Lines(Run(Load(journey), new Script()
            .Track("early", "joined", T.AddHours(-3))   // 07:00 UTC: until 10:00 comes after 3h, the 2h timer first
            .Track("late", "joined", T.AddHours(-1)), T.AddDays(2)));  // 09:00 UTC: until 10:00 first

        Assert.Contains("2026-01-05T09:00:00Z early moved c from a (after 2h)", lines);
        Assert.Contains("2026-01-05T10:00:00Z late moved b from a (until 10:00)", lines);
    }

    [Fact]
    public void GoalWithinWorkingDays_CountsUpToTheCloseOfTheLastWorkingDay()
    {
        var journey = """
            journey: sla
            entry: { on: opened }
            goal: { on: solved, within: 7bd }
            start: wait
            steps:
              wait:
                then: [ { after: 60d, goto: end } ]
            """;
        var close = new DateTimeOffset(2026, 10, 12, 18, 0, 0, TimeSpan.FromHours(8));

        var lines = Lines(Run(WithSpecCalendar(journey), new Script()
            .Track("in", "opened", Friday15).Track("in", "solved", close)
            .Track("out", "opened", Friday15).Track("out", "solved", close.AddMinutes(1)), Friday15.AddDays(70)));

        Assert.Contains("2026-10-12T10:00:00Z in goal wait (goal:solved)", lines);
        Assert.DoesNotContain(lines, l => l.Contains("out goal", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WorkingDayTimer_AcrossARestartOnSqlite_FiresAtItsDueTime()
    {
        using var folder = new TempFolder();
        var db = System.IO.Path.Combine(folder.Path, "journeys.db");
        var catalog = WithSpecCalendar(Wait("{ after: 7bd, from: entry, goto: second }"));
        var time = new FakeTimeProvider(Friday15);
        var decisions = new List<string>();

        JourneyEngine Start(SqliteJourneyStore store)
        {
            var engine = new JourneyEngineBuilder()
                .UseCatalog(catalog)
                .AddChannel(new RecordingChannel())
                .UseTimeProvider(time)
                .UseStore(store)
                .WithPartitions(1)
                .Build();
            engine.Decisions.Subscribe(d => { lock (decisions) { decisions.Add(Line(d)); } });
            engine.Start();
            return engine;
        }

        using (var store = new SqliteJourneyStore(db))
        await using (var first = Start(store))
        {
            await first.PublishAsync([new CustomerEvent("c1", "joined", Friday15)]);
            await first.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);
            await first.StopAsync().WaitAsync(EngineHarness.SafetyTimeout);
        }

        time.Advance(TimeSpan.FromDays(3));
        using var reopened = new SqliteJourneyStore(db);
        await using var second = Start(reopened);
        time.Advance(TimeSpan.FromDays(30));
        await second.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);
        await second.StopAsync().WaitAsync(EngineHarness.SafetyTimeout);

        Assert.Equal(
        [
            "2026-09-25T07:00:00Z c1 entered first (on joined)",
            "2026-10-12T10:00:00Z c1 moved second from first (after 7bd from entry)",
            "2026-10-12T10:00:00Z c1 completed second",
        ], decisions);
    }
}
