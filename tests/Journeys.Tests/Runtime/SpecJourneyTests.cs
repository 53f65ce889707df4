using static Journeys.Tests.Runtime.Sim;

namespace Journeys.Tests.Runtime;

/// <summary>The journey example of the language spec, end to end in virtual time: every timestamp exact.
/// T is 2026-01-05T10:00:00Z; T+7d 2026-01-12, T+28d 2026-02-02, T+58d 2026-03-04.</summary>
public sealed class SpecJourneyTests
{
    private static readonly DateTimeOffset Until = T.AddDays(120);

    /// <summary>Entered with the push guide, then the consult call a week later.</summary>
    private static readonly string[] FirstWeek = SpecJourneys.ReminderPath[..4];

    private static List<string> RunNurture(Script script, DateTimeOffset? until = null) =>
        Lines(Run(SpecJourneys.Nurture, script, until ?? Until));

    [Fact]
    public void SpecJourney_NoAppOpenIn14Days_RemindsBySmsThenCompletesAtSurveyOnDay58()
    {
        var lines = RunNurture(new Script().Track("c1", "signed_up", T));

        Assert.Equal(SpecJourneys.ReminderPath, lines);
    }

    [Fact]
    public void SpecJourney_AppOpenWithin14DaysOfTips_WaitsAt30DaysThenSendsSurveyByEmail()
    {
        var lines = RunNurture(new Script()
            .Track("c1", "signed_up", T)
            .Track("c1", "app_open", T.AddDays(20)));

        Assert.Equal(
        [
            .. FirstWeek,
            "2026-02-02T10:00:00Z c1 moved tips from consult (after 21d)",
            "2026-03-04T10:00:00Z c1 moved survey from tips (after 30d)",
            "2026-03-04T10:00:00Z c1 sent survey email:nurture/survey",
            "2026-03-04T10:00:00Z c1 completed survey",
        ], lines);
    }

    [Fact]
    public void SpecJourney_AppOpenMoreThan14DaysBeforeTips_DoesNotCountAndRemindsBySms()
    {
        var lines = RunNurture(new Script()
            .Track("c1", "signed_up", T)
            .Track("c1", "app_open", T.AddDays(13))); // 15 days before arrival at tips

        Assert.Equal("2026-02-02T10:00:00Z c1 moved reminder from tips (if count('app_open', 14) == 0)", lines[5]);
    }

    [Fact]
    public void SpecJourney_ConsultCompletedEarly_MovesToTipsAtOnceAndTheConsultTimerNeverFires()
    {
        var lines = RunNurture(new Script()
            .Track("c1", "signed_up", T)
            .Track("c1", "consult_completed", T.AddDays(10).AddHours(3)));

        Assert.Equal(
        [
            .. FirstWeek,
            "2026-01-15T13:00:00Z c1 moved tips from consult (on consult_completed)",
            "2026-01-15T13:00:00Z c1 moved reminder from tips (if count('app_open', 14) == 0)",
            "2026-01-15T13:00:00Z c1 sent reminder sms:nurture/reminder",
            "2026-02-14T13:00:00Z c1 moved survey from reminder (after 30d)",
            "2026-02-14T13:00:00Z c1 sent survey email:nurture/survey",
            "2026-02-14T13:00:00Z c1 completed survey",
        ], lines);
    }

    [Fact]
    public void SpecJourney_ConsultCompletedWhileInGuide_IsIgnored()
    {
        var lines = RunNurture(new Script()
            .Track("c1", "signed_up", T)
            .Track("c1", "consult_completed", T.AddDays(2)));

        Assert.Equal("2026-01-12T10:00:00Z c1 moved consult from guide (after 7d)", lines[2]);
        Assert.Equal("2026-02-02T10:00:00Z c1 moved tips from consult (after 21d)", lines[4]);
    }

    [Fact]
    public void SpecJourney_UnsubscribedWhileWaitingInConsult_ExitsAndCancelsThePendingTimer()
    {
        var lines = RunNurture(new Script()
            .Track("c1", "signed_up", T)
            .Track("c1", "unsubscribed", T.AddDays(10)));

        Assert.Equal(
        [
            .. FirstWeek,
            "2026-01-15T10:00:00Z c1 exited consult (exit:unsubscribed)",
        ], lines);
    }

    [Fact]
    public void SpecJourney_AccountClosedInFirstStep_ExitsWithItsOwnRule()
    {
        var lines = RunNurture(new Script()
            .Track("c1", "signed_up", T)
            .Track("c1", "account_closed", T.AddHours(1)));

        Assert.Equal(
        [
            "2026-01-05T10:00:00Z c1 entered guide (on signed_up)",
            "2026-01-05T10:00:00Z c1 sent guide push:nurture/guide",
            "2026-01-05T11:00:00Z c1 exited guide (exit:account_closed)",
        ], lines);
    }

    [Fact]
    public void SpecJourney_OrderWithin60Days_CountsTheGoalAtTheCurrentStepAndExits()
    {
        var lines = RunNurture(new Script()
            .Track("c1", "signed_up", T)
            .Track("c1", "order_completed", T.AddDays(30)));

        Assert.Equal(
        [
            .. SpecJourneys.ReminderPath[..7],
            "2026-02-04T10:00:00Z c1 goal reminder (goal:order_completed)",
            "2026-02-04T10:00:00Z c1 exited reminder (goal:order_completed)",
        ], lines);
    }

    [Fact]
    public void SpecJourney_OrderExactly60DaysAfterEntry_StillCountsTheGoal()
    {
        var lines = Lines(Run(SpecJourneys.NurtureWithSlowReminder, new Script()
            .Track("c1", "signed_up", T)
            .Track("c1", "order_completed", T.AddDays(60)), Until));

        Assert.Equal(
        [
            "2026-03-06T10:00:00Z c1 goal reminder (goal:order_completed)",
            "2026-03-06T10:00:00Z c1 exited reminder (goal:order_completed)",
        ], lines.Skip(7));
    }

    [Fact]
    public void SpecJourney_OrderAfter60Days_IsNotCountedAndTheCustomerCarriesOn()
    {
        var lines = Lines(Run(SpecJourneys.NurtureWithSlowReminder, new Script()
            .Track("c1", "signed_up", T)
            .Track("c1", "order_completed", T.AddDays(60).AddSeconds(1)), Until));

        Assert.Equal(
        [
            "2026-03-14T10:00:00Z c1 moved survey from reminder (after 40d)",
            "2026-03-14T10:00:00Z c1 sent survey email:nurture/survey",
            "2026-03-14T10:00:00Z c1 completed survey",
        ], lines.Skip(7));
    }

    [Fact]
    public void SpecJourney_OrderAfterCompletion_IsNotCounted()
    {
        var lines = RunNurture(new Script()
            .Track("c1", "signed_up", T)
            .Track("c1", "order_completed", T.AddDays(59)));

        Assert.Equal("2026-03-04T10:00:00Z c1 completed survey", lines[^1]);
        Assert.DoesNotContain(lines, l => l.Contains(" goal ", StringComparison.Ordinal));
    }

    [Fact]
    public void SpecJourney_CustomerFromCountryTest_IsRefusedByTheEntryGuard()
    {
        var lines = RunNurture(new Script()
            .Identify("c1", T.AddHours(-1), traits: ("country", "test"))
            .Track("c1", "signed_up", T));

        Assert.Empty(lines);
    }

    [Fact]
    public void SpecJourney_CustomerWithoutCountryTrait_PassesTheEntryGuard()
    {
        var lines = RunNurture(new Script().Track("c1", "signed_up", T), until: T);

        Assert.Equal(
        [
            "2026-01-05T10:00:00Z c1 entered guide (on signed_up)",
            "2026-01-05T10:00:00Z c1 sent guide push:nurture/guide",
        ], lines);
    }

    [Fact]
    public void SpecJourney_SecondSignUpWithDefaultReentryNever_IsIgnored()
    {
        var lines = RunNurture(new Script()
            .Track("c1", "signed_up", T)
            .Track("c1", "signed_up", T.AddDays(100)), until: T.AddDays(200));

        Assert.Single(lines, l => l.Contains(" entered ", StringComparison.Ordinal));
        Assert.Equal("2026-03-04T10:00:00Z c1 completed survey", lines[^1]);
    }

    [Fact]
    public void SpecJourney_TwoCustomers_RunIndependentlyInTimeOrder()
    {
        var lines = RunNurture(new Script()
            .Track("c2", "signed_up", T.AddDays(1))
            .Track("c1", "signed_up", T)
            .Track("c1", "unsubscribed", T.AddDays(2)), until: T.AddDays(8));

        Assert.Equal(
        [
            "2026-01-05T10:00:00Z c1 entered guide (on signed_up)",
            "2026-01-05T10:00:00Z c1 sent guide push:nurture/guide",
            "2026-01-06T10:00:00Z c2 entered guide (on signed_up)",
            "2026-01-06T10:00:00Z c2 sent guide push:nurture/guide",
            "2026-01-07T10:00:00Z c1 exited guide (exit:unsubscribed)",
            "2026-01-13T10:00:00Z c2 moved consult from guide (after 7d)",
            "2026-01-13T10:00:00Z c2 sent consult agent-task:nurture/consult-call",
        ], lines);
    }
}
