using Journeys.Decisions;
using Journeys.Tests.Runtime;
using static Journeys.Tests.Runtime.Sim;

namespace Journeys.Tests.Cases;

/// <summary>Cases at run time (spec v2, "Cases: several runs of one journey per customer"): one run per key, events routed
/// to the run of their key, a null key reaching every run, entries refused (and reported) without a key or past
/// <c>maxCases</c>, re-entry per key, timers and goals per run, and <c>case</c> on every decision of a run.</summary>
public sealed class CaseRoutingTests
{
    private const string Feedback = """
        journey: feedback
        entry: { on: feedback_submitted }
        case: event.ticketId
        maxCases: 2
        exit:
          - on: unsubscribed
        goal: { on: feedback_closed }
        start: open
        steps:
          open:
            then:
              - { on: feedback_answered, goto: answered }
              - { after: 2d, goto: escalated }
          answered:
            then:
              - { after: 30d, goto: end }
          escalated:
        """;

    private static string Line(JourneyDecision d) => Sim.Line(d) + (d.Case is null ? "" : $" [{d.Case}]");

    private static List<string> Run(string journey, Script script, int days = 60) =>
        Sim.Run(Load(journey), script, T.AddDays(days)).Select(Line).ToList();

    private static (string, object?) Ticket(object? id) => ("ticketId", id);

    [Fact]
    public void TwoTickets_AnAnswerToOne_MovesOnlyThatRun_AndTheOtherEscalatesOnItsOwnTimer()
    {
        var lines = Run(Feedback, new Script()
            .Track("c1", "feedback_submitted", T, Ticket("T-2"))
            .Track("c1", "feedback_submitted", T.AddHours(1), Ticket("T-3"))
            .Track("c1", "feedback_answered", T.AddHours(5), Ticket("T-3")), days: 3);

        Assert.Equal(
        [
            "2026-01-05T10:00:00Z c1 entered open (on feedback_submitted) [T-2]",
            "2026-01-05T11:00:00Z c1 entered open (on feedback_submitted) [T-3]",
            "2026-01-05T15:00:00Z c1 moved answered from open (on feedback_answered) [T-3]",
            "2026-01-07T10:00:00Z c1 moved escalated from open (after 2d) [T-2]",
            "2026-01-07T10:00:00Z c1 completed escalated [T-2]",
        ], lines);
    }

    [Fact]
    public void EventWithoutAKey_ReachesEveryOpenRun_SoUnsubscribedExitsThemAll()
    {
        var lines = Run(Feedback, new Script()
            .Track("c1", "feedback_submitted", T, Ticket("T-2"))
            .Track("c1", "feedback_submitted", T.AddHours(1), Ticket("T-3"))
            .Track("c1", "unsubscribed", T.AddHours(2)));

        Assert.Equal(
        [
            "2026-01-05T10:00:00Z c1 entered open (on feedback_submitted) [T-2]",
            "2026-01-05T11:00:00Z c1 entered open (on feedback_submitted) [T-3]",
            "2026-01-05T12:00:00Z c1 exited open (exit:unsubscribed) [T-2]",
            "2026-01-05T12:00:00Z c1 exited open (exit:unsubscribed) [T-3]",
        ], lines);
    }

    [Fact]
    public void EnteringEventWithoutAKey_EntersNothing_AndIsReported()
    {
        var decisions = Sim.Run(Load(Feedback), new Script().Track("c1", "feedback_submitted", T), T.AddDays(5));

        var refused = Assert.Single(decisions);
        Assert.Equal("2026-01-05T10:00:00Z c1 failed open (no case: event.ticketId is null)", Line(refused));
        Assert.Equal(ReasonKind.NoCase, refused.Why!.Kind);
        Assert.Equal("event.ticketId", refused.Why.Expression);
    }

    [Fact]
    public void EntryPastMaxCases_IsRefusedAndReported_AndAKeyEntersOnceARunHasEnded()
    {
        var lines = Run(Feedback, new Script()
            .Track("c1", "feedback_submitted", T, Ticket("T-1"))
            .Track("c1", "feedback_submitted", T.AddHours(1), Ticket("T-2"))
            .Track("c1", "feedback_submitted", T.AddHours(2), Ticket("T-3"))
            .Track("c1", "feedback_closed", T.AddHours(3), Ticket("T-1"))
            .Track("c1", "feedback_submitted", T.AddHours(4), Ticket("T-3")), days: 1);

        Assert.Equal(
        [
            "2026-01-05T10:00:00Z c1 entered open (on feedback_submitted) [T-1]",
            "2026-01-05T11:00:00Z c1 entered open (on feedback_submitted) [T-2]",
            "2026-01-05T12:00:00Z c1 failed open (maxCases 2 reached) [T-3]",
            "2026-01-05T13:00:00Z c1 goal open (goal:feedback_closed) [T-1]",
            "2026-01-05T13:00:00Z c1 exited open (goal:feedback_closed) [T-1]",
            "2026-01-05T14:00:00Z c1 entered open (on feedback_submitted) [T-3]",
        ], lines);
    }

    [Fact]
    public void SameKeyWhileOpen_EntersNothingNew_AndReentryNeverRefusesTheKeyForGood()
    {
        var lines = Run(Feedback, new Script()
            .Track("c1", "feedback_submitted", T, Ticket("T-1"))
            .Track("c1", "feedback_submitted", T.AddHours(1), Ticket("T-1"))
            .Track("c1", "feedback_closed", T.AddHours(2), Ticket("T-1"))
            .Track("c1", "feedback_submitted", T.AddHours(3), Ticket("T-1"))
            .Track("c1", "feedback_submitted", T.AddHours(4), Ticket("T-4")), days: 1);

        Assert.Equal(
        [
            "2026-01-05T10:00:00Z c1 entered open (on feedback_submitted) [T-1]",
            "2026-01-05T12:00:00Z c1 goal open (goal:feedback_closed) [T-1]",
            "2026-01-05T12:00:00Z c1 exited open (goal:feedback_closed) [T-1]",
            "2026-01-05T14:00:00Z c1 entered open (on feedback_submitted) [T-4]",
        ], lines);
    }

    [Theory]
    [InlineData("always", "2026-01-05T13:00:00Z")]
    [InlineData("4h", "2026-01-05T14:00:00Z")]
    public void Reentry_CountsPerKey(string reentry, string reentered)
    {
        var lines = Run(Feedback.Replace("maxCases: 2", "maxCases: 2\nreentry: " + reentry, StringComparison.Ordinal), new Script()
            .Track("c1", "feedback_submitted", T, Ticket("T-1"))
            .Track("c1", "feedback_submitted", T.AddHours(1), Ticket("T-2"))
            .Track("c1", "feedback_closed", T.AddHours(2), Ticket("T-1"))
            .Track("c1", "feedback_submitted", T.AddHours(3), Ticket("T-1"))
            .Track("c1", "feedback_submitted", T.AddHours(4), Ticket("T-1")), days: 1);

        Assert.Equal(2, lines.Count(l => l.EndsWith("entered open (on feedback_submitted) [T-1]", StringComparison.Ordinal)));
        Assert.Contains($"{reentered} c1 entered open (on feedback_submitted) [T-1]", lines);
    }

    [Fact]
    public void KeysCompareAsText_SevenAndQuotedSevenAreOneCase()
    {
        var lines = Run(Feedback, new Script()
            .Track("c1", "feedback_submitted", T, Ticket(7.0))
            .Track("c1", "feedback_submitted", T.AddHours(1), Ticket("7"))
            .Track("c1", "feedback_answered", T.AddHours(2), Ticket("7")), days: 1);

        Assert.Equal(
        [
            "2026-01-05T10:00:00Z c1 entered open (on feedback_submitted) [7]",
            "2026-01-05T12:00:00Z c1 moved answered from open (on feedback_answered) [7]",
        ], lines);
    }

    [Fact]
    public void EventWithAKeyNoRunHas_ReachesNoRun()
    {
        var lines = Run(Feedback, new Script()
            .Track("c1", "feedback_submitted", T, Ticket("T-1"))
            .Track("c1", "feedback_answered", T.AddHours(1), Ticket("T-9"))
            .Track("c1", "feedback_closed", T.AddHours(1), Ticket("T-9")), days: 1);

        Assert.Equal(["2026-01-05T10:00:00Z c1 entered open (on feedback_submitted) [T-1]"], lines);
    }

    [Fact]
    public void JourneyWithoutCases_DecisionsCarryNoCase()
    {
        var decisions = Sim.Run(Load(SpecJourneys.OneStep("plain", "on: signed_up")), new Script().Track("c1", "signed_up", T, Ticket("T-1")), T.AddDays(1));

        Assert.NotEmpty(decisions);
        Assert.All(decisions, d => Assert.Null(d.Case));
    }

    [Fact]
    public void Customers_KeepTheirOwnCases()
    {
        var lines = Run(Feedback, new Script()
            .Track("c1", "feedback_submitted", T, Ticket("T-1"))
            .Track("c2", "feedback_submitted", T, Ticket("T-1"))
            .Track("c2", "feedback_answered", T.AddHours(1), Ticket("T-1")), days: 1);

        Assert.Equal(
        [
            "2026-01-05T10:00:00Z c1 entered open (on feedback_submitted) [T-1]",
            "2026-01-05T10:00:00Z c2 entered open (on feedback_submitted) [T-1]",
            "2026-01-05T11:00:00Z c2 moved answered from open (on feedback_answered) [T-1]",
        ], lines);
    }
}
