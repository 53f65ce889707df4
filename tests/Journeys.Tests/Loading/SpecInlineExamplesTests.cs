using Journeys.Delivery;
using Journeys.Language.Definitions;
using Journeys.Tests.Support;

namespace Journeys.Tests.Loading;

/// <summary>The examples the spec gives inline (entry kinds, transitions, durations, sends), each placed in a minimal journey.</summary>
public sealed class SpecInlineExamplesTests
{
    private static JourneyDefinition LoadWithEntry(string entry)
    {
        var catalog = Diagnose.Load($"""
            journey: inline
            entry:
              {entry}
            start: only
            steps:
              only:
            """);
        Diagnose.Clean(catalog);
        return catalog.Definitions.Single();
    }

    private static StepDefinition LoadStep(string step)
    {
        var catalog = Diagnose.Load($"""
            journey: inline
            entry: {"{"} on: signed_up {"}"}
            start: first
            steps:
              first:
            {step}
              a:
              b:
              holdout:
            """);
        Diagnose.NoErrors(catalog); // the spare steps a, b, holdout may be unreachable: only the step under test matters
        return catalog.Definitions.Single().FindStep("first")!;
    }

    [Fact]
    public void WhenEntry_ValueBoostExample_LoadsAsConditionEntry()
    {
        var journey = LoadWithEntry("""when: "count('interaction', 30) >= 2 && daysSince(lastSeen('order_completed')) <= 180" """);

        var entry = Assert.IsType<ConditionEntry>(journey.Entry);
        Assert.Equal("count('interaction', 30) >= 2 && daysSince(lastSeen('order_completed')) <= 180", entry.Condition.Text);
    }

    [Fact]
    public void InactiveEntry_SpecExample_Is90DaysOfThreeEventTypes()
    {
        var journey = LoadWithEntry("inactive: { for: 90d, of: [login, order_completed, interaction] }");

        var entry = Assert.IsType<InactivityEntry>(journey.Entry);
        Assert.Equal(TimeSpan.FromDays(90), entry.For);
        Assert.Equal(["login", "order_completed", "interaction"], entry.Of);
    }

    [Fact]
    public void DateEntry_BirthdayExample_IsEveryYearAt0900()
    {
        var journey = LoadWithEntry("""date: { trait: birthday, every: year, at: "09:00" }""");

        Assert.Equal(new DateEntry("birthday", true, TimeSpan.Zero, new TimeOnly(9, 0)) { Location = journey.Entry.Location }, journey.Entry);
    }

    [Fact]
    public void DateEntry_ServiceEndsExample_IsOnceSevenDaysBeforeAt1000()
    {
        var journey = LoadWithEntry("""date: { trait: serviceEndsAt, offset: -7d, at: "10:00" }""");

        Assert.Equal(new DateEntry("serviceEndsAt", false, TimeSpan.FromDays(-7), new TimeOnly(10, 0)) { Location = journey.Entry.Location }, journey.Entry);
    }

    [Fact]
    public void OnTransition_WithGuard_LoadsAsEventTransitionWithEventInScope()
    {
        var step = LoadStep("""
                then:
                  - { on: order_completed, if: "event.total > 100", goto: a }
                  - { after: 1d, goto: b }
            """);

        var on = Assert.IsType<EventTransition>(step.Transitions[0]);
        Assert.Equal(("order_completed", "event.total > 100", "a"), (on.EventType, on.Guard!.Text, on.Target));
    }

    [Fact]
    public void SplitTransition_SpecExample_HasWeights90And10()
    {
        var step = LoadStep("""
                then:
                  - { split: [ { weight: 90, goto: a }, { weight: 10, goto: holdout } ] }
            """);

        var split = Assert.IsType<SplitTransition>(Assert.Single(step.Transitions));
        Assert.Equal([(90.0, "a"), (10.0, "holdout")], split.Branches.Select(b => (b.Weight, b.Target)));
        Assert.Equal(100.0, split.TotalWeight);
    }

    [Fact]
    public void GotoEnd_AfterTimer_EndsTheJourney()
    {
        var step = LoadStep("""
                then:
                  - { after: 1d, goto: end }
            """);

        Assert.Equal(TransitionDefinition.End, Assert.IsType<TimerTransition>(Assert.Single(step.Transitions)).Target);
    }

    [Theory]
    [InlineData("30m", 30)]
    [InlineData("12h", 12 * 60)]
    [InlineData("7d", 7 * 24 * 60)]
    [InlineData("2w", 14 * 24 * 60)]
    public void Duration_SpecUnits_ParseToMinutes(string text, int minutes)
    {
        var step = LoadStep($"""
                then:
                  - {"{"} after: {text}, goto: a {"}"}
            """);

        Assert.Equal(TimeSpan.FromMinutes(minutes), Assert.IsType<TimerTransition>(Assert.Single(step.Transitions)).After);
    }

    [Fact]
    public void Reentry_Duration_IsAMinimumGap()
    {
        var catalog = Diagnose.Load("""
            journey: inline
            entry: { on: signed_up }
            reentry: 90d
            start: only
            steps:
              only:
            """);

        Assert.Equal(new ReentryPolicy(ReentryKind.AfterGap, TimeSpan.FromDays(90)), catalog.Definitions.Single().Reentry);
    }

    [Fact]
    public void Reentry_Always_IsAlways()
    {
        var catalog = Diagnose.Load("""
            journey: inline
            entry: { on: signed_up }
            reentry: always
            start: only
            steps:
              only:
            """);

        Assert.Equal(ReentryPolicy.Always, catalog.Definitions.Single().Reentry);
    }

    [Fact]
    public void Send_TransactionalWithPriority_IsExemptCategoryWithThatPriority()
    {
        var step = LoadStep("""
                send: { channel: email, template: receipts/order, category: transactional, priority: 5 }
            """);

        var send = Assert.Single(step.Sends);
        Assert.Equal((MessageCategory.Transactional, 5), (send.Category, send.Priority));
    }

    [Fact]
    public void Send_List_KeepsEveryMessageInOrder()
    {
        var step = LoadStep("""
                send:
                  - { channel: push, template: t/one }
                  - { channel: email, template: t/two }
            """);

        Assert.Equal([("push", "t/one"), ("email", "t/two")], step.Sends.Select(s => (s.Channel, s.Template)));
    }
}
