using Journeys.Decisions;
using Journeys.Diagnostics;
using Journeys.Language.Loading;
using Journeys.Tests.Runtime;
using Journeys.Tests.Support;
using static Journeys.Tests.Runtime.Sim;

namespace Journeys.Tests.Cases;

/// <summary><c>entry.*</c> (spec v2, "The entering event"): the entering event's properties and the run's start, read in
/// every step of the run — arrival branches after a timer, <c>on</c> guards, exits, the goal — null for other entry kinds,
/// and refused at load where no run is at hand.</summary>
public sealed class EntryPropertyTests
{
    private static List<string> Lines(string journey, Script script, int days = 30) =>
        Sim.Run(Load(journey), script, T.AddDays(days)).Select(d => Sim.Line(d) + (d.Case is null ? "" : $" [{d.Case}]")).ToList();

    private const string Triage = """
        journey: triage
        entry: { on: feedback_submitted }
        start: wait
        steps:
          wait:
            then:
              - { on: feedback_answered, if: "event.ticketId == entry.ticketId", goto: done }
              - { after: 1d, goto: route }
          route:
            then:
              - { if: "entry.kind == 'complaint' && hoursSince(entry.timestamp) >= 24", goto: escalate }
              - { goto: done }
          escalate:
          done:
        """;

    [Fact]
    public void ArrivalBranch_AfterATimer_ReadsTheEnteringEvent()
    {
        var lines = Lines(Triage, new Script()
            .Track("c1", "feedback_submitted", T, ("kind", "complaint"), ("ticketId", "T-1"))
            .Track("c2", "feedback_submitted", T, ("kind", "suggestion"), ("ticketId", "T-2")));

        Assert.Contains("2026-01-06T10:00:00Z c1 moved escalate from route (if entry.kind == 'complaint' && hoursSince(entry.timestamp) >= 24)", lines);
        Assert.Contains("2026-01-06T10:00:00Z c2 moved done from route (always)", lines);
    }

    [Fact]
    public void OnGuard_ComparesTheEventWithTheEnteringEvent()
    {
        var lines = Lines(Triage, new Script()
            .Track("c1", "feedback_submitted", T, ("kind", "complaint"), ("ticketId", "T-1"))
            .Track("c1", "feedback_answered", T.AddHours(1), ("ticketId", "T-9"))
            .Track("c1", "feedback_answered", T.AddHours(2), ("ticketId", "T-1")));

        Assert.Equal(
        [
            "2026-01-05T10:00:00Z c1 entered wait (on feedback_submitted)",
            "2026-01-05T12:00:00Z c1 moved done from wait (on feedback_answered if event.ticketId == entry.ticketId)",
            "2026-01-05T12:00:00Z c1 completed done",
        ], lines);
    }

    [Fact]
    public void ExitAndGoalGuards_ReadTheEnteringEvent()
    {
        var lines = Lines("""
            journey: order-help
            entry: { on: order_placed }
            exit:
              - { on: order_cancelled, if: "event.orderId == entry.orderId" }
            goal: { on: order_delivered, if: "event.orderId == entry.orderId" }
            start: wait
            steps:
              wait:
                then:
                  - { after: 10d, goto: end }
            """, new Script()
            .Track("c1", "order_placed", T, ("orderId", 1))
            .Track("c1", "order_cancelled", T.AddHours(1), ("orderId", 2))
            .Track("c1", "order_delivered", T.AddHours(2), ("orderId", 1)));

        Assert.Equal(
        [
            "2026-01-05T10:00:00Z c1 entered wait (on order_placed)",
            "2026-01-05T12:00:00Z c1 goal wait (goal:order_delivered)",
            "2026-01-05T12:00:00Z c1 exited wait (goal:order_delivered)",
        ], lines);
    }

    [Fact]
    public void EntryProperty_OfARunNotEnteredByAnEvent_IsNull_AndItsTimestampIsTheRunsStart()
    {
        var lines = Lines("""
            journey: lapsed
            entry: { inactive: { for: 10d, of: [login] } }
            start: check
            steps:
              check:
                then:
                  - { if: "entry.kind == null && daysSince(entry.timestamp) < 1", goto: ok }
                  - { goto: wrong }
              ok:
              wrong:
            """, new Script().Track("c1", "login", T), days: 12);

        Assert.Contains("2026-01-15T10:00:00Z c1 moved ok from check (if entry.kind == null && daysSince(entry.timestamp) < 1)", lines);
    }

    [Theory]
    [InlineData("entry: { when: \"entry.kind == 'x'\" }", "j.yaml:1:17")]
    [InlineData("entry: { on: joined, if: \"entry.kind == 'x'\" }", "j.yaml:1:27")]
    public void EntryName_WhereNoRunIsAtHand_IsRefused(string entry, string location)
    {
        var catalog = Diagnose.Load(entry + "\njourney: j\nstart: s\nsteps:\n  s:\n");

        var d = Diagnose.Refused(catalog, DiagnosticCodes.UnknownName, location);
        Assert.Contains("no run is at hand here", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EntryName_InATier_IsRefused()
    {
        var catalog = JourneyLoader.LoadYaml(("policy.yaml", "policy:\n  tiers:\n    vip: \"entry.kind == 'x'\"\n"));

        Diagnose.Has(catalog, Diagnose.Error, DiagnosticCodes.UnknownName, "policy.yaml:3:11");
    }
}
