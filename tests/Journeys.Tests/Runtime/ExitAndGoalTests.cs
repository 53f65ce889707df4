using static Journeys.Tests.Runtime.Sim;

namespace Journeys.Tests.Runtime;

/// <summary>Exit rules (leave at once, from any step, before any transition) and goals (a conversion counted for the
/// step that led to it, within its window, leaving unless <c>exit: false</c>).</summary>
public sealed class ExitAndGoalTests
{
    private const string Trial = """
        journey: trial
        version: 2
        entry: { on: trial_started }
        reentry: always
        exit:
          - on: unsubscribed
            if: "event.channel == 'email'"
          - on: unsubscribed
            if: "event.channel == 'all'"
        goal:
          on: upgraded
          if: "event.plan != 'free'"
          within: 14d
          exit: false
        start: teach
        steps:
          teach:
            send: { channel: email, template: trial/teach }
            then:
              - on: unsubscribed
                goto: quiet
              - after: 10d
                goto: last-call
          quiet:
            then:
              - after: 10d
                goto: last-call
          last-call:
            send: { channel: push, template: trial/last-call }
            then:
              - after: 10d
                goto: end
        """;

    private static List<string> RunTrial(Script script) => Lines(Run(Trial, script, T.AddDays(60)));

    [Fact]
    public void Exit_GuardOverTheEventHolds_ExitsBeforeAnyTransitionOnThatEvent()
    {
        var lines = RunTrial(new Script()
            .Track("c1", "trial_started", T)
            .Track("c1", "unsubscribed", T.AddDays(2), ("channel", "email")));

        Assert.Equal(
        [
            "2026-01-05T10:00:00Z c1 entered teach (on trial_started)",
            "2026-01-05T10:00:00Z c1 sent teach email:trial/teach",
            "2026-01-07T10:00:00Z c1 exited teach (exit:unsubscribed)",
        ], lines);
    }

    [Fact]
    public void Exit_SecondRuleForTheSameEventHolds_Exits()
    {
        var lines = RunTrial(new Script()
            .Track("c1", "trial_started", T)
            .Track("c1", "unsubscribed", T.AddDays(2), ("channel", "all")));

        Assert.Equal("2026-01-07T10:00:00Z c1 exited teach (exit:unsubscribed)", lines[^1]);
    }

    [Fact]
    public void Exit_GuardFails_TheEventFallsThroughToTheStepsTransition()
    {
        var lines = RunTrial(new Script()
            .Track("c1", "trial_started", T)
            .Track("c1", "unsubscribed", T.AddDays(2), ("channel", "sms")));

        Assert.Equal("2026-01-07T10:00:00Z c1 moved quiet from teach (on unsubscribed)", lines[2]);
        Assert.Equal("2026-01-17T10:00:00Z c1 moved last-call from quiet (after 10d)", lines[3]);
    }

    [Fact]
    public void Exit_EventForACustomerNotInTheJourney_DecidesNothing()
    {
        var lines = RunTrial(new Script().Track("c1", "unsubscribed", T, ("channel", "email")));

        Assert.Empty(lines);
    }

    [Fact]
    public void GoalWithoutExit_Reached_IsCountedAndTheCustomerCarriesOn()
    {
        var lines = RunTrial(new Script()
            .Track("c1", "trial_started", T)
            .Track("c1", "upgraded", T.AddDays(3), ("plan", "pro")));

        Assert.Equal(
        [
            "2026-01-05T10:00:00Z c1 entered teach (on trial_started)",
            "2026-01-05T10:00:00Z c1 sent teach email:trial/teach",
            "2026-01-08T10:00:00Z c1 goal teach (goal:upgraded)",
            "2026-01-15T10:00:00Z c1 moved last-call from teach (after 10d)",
            "2026-01-15T10:00:00Z c1 sent last-call push:trial/last-call",
            "2026-01-25T10:00:00Z c1 completed last-call (after 10d)",
        ], lines);
    }

    [Fact]
    public void GoalWithoutExit_ReachedTwiceInOneEntry_IsCountedOnce()
    {
        // Like Braze and Customer.io: a customer converts at most once per entry.
        var lines = RunTrial(new Script()
            .Track("c1", "trial_started", T)
            .Track("c1", "upgraded", T.AddDays(3), ("plan", "pro"))
            .Track("c1", "upgraded", T.AddDays(11), ("plan", "team")));

        Assert.Equal(["2026-01-08T10:00:00Z c1 goal teach (goal:upgraded)"], lines.Where(l => l.Contains(" goal ", StringComparison.Ordinal)));
    }

    [Fact]
    public void GoalWithoutExit_NextEntry_CanConvertAgain()
    {
        var lines = RunTrial(new Script()
            .Track("c1", "trial_started", T)
            .Track("c1", "upgraded", T.AddDays(3), ("plan", "pro"))
            .Track("c1", "trial_started", T.AddDays(30))
            .Track("c1", "upgraded", T.AddDays(31), ("plan", "pro")));

        Assert.Equal(
        [
            "2026-01-08T10:00:00Z c1 goal teach (goal:upgraded)",
            "2026-02-05T10:00:00Z c1 goal teach (goal:upgraded)",
        ], lines.Where(l => l.Contains(" goal ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Goal_GuardOverTheEventFails_IsNotCounted()
    {
        var lines = RunTrial(new Script()
            .Track("c1", "trial_started", T)
            .Track("c1", "upgraded", T.AddDays(3), ("plan", "free")));

        Assert.DoesNotContain(lines, l => l.Contains(" goal ", StringComparison.Ordinal));
    }

    [Fact]
    public void Goal_AfterItsWindowButStillInside_IsNotCounted()
    {
        var lines = RunTrial(new Script()
            .Track("c1", "trial_started", T)
            .Track("c1", "upgraded", T.AddDays(14).AddSeconds(1), ("plan", "pro")));

        Assert.DoesNotContain(lines, l => l.Contains(" goal ", StringComparison.Ordinal));
        Assert.Equal("2026-01-25T10:00:00Z c1 completed last-call (after 10d)", lines[^1]);
    }

    [Fact]
    public void Goal_IsAttributedToTheStepTheCustomerIsAt()
    {
        var lines = RunTrial(new Script()
            .Track("c1", "trial_started", T)
            .Track("c1", "upgraded", T.AddDays(12), ("plan", "pro")));

        Assert.Contains("2026-01-17T10:00:00Z c1 goal last-call (goal:upgraded)", lines);
    }
}
