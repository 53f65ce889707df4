using static Journeys.Tests.Runtime.Sim;

namespace Journeys.Tests.Runtime;

/// <summary><c>entry: { when: expr }</c>: entered as soon as the condition becomes true after an event or a trait change,
/// not before; the spec's value-boost condition.</summary>
public sealed class WhenEntryTests
{
    [Fact]
    public void WhenEntry_SecondInteractionAfterAnOrder_EntersRightAfterThatEventAndNotBefore()
    {
        var lines = Lines(Run(SpecJourneys.ValueBoost, new Script()
            .Track("c1", "order_completed", T)
            .Track("c1", "interaction", T.AddDays(1))
            .Track("c1", "interaction", T.AddDays(2).AddMinutes(30)), T.AddDays(10)));

        Assert.Equal(
        [
            "2026-01-07T10:30:00Z c1 entered recommend (when)",
            "2026-01-07T10:30:00Z c1 sent recommend push:boost/recs",
            "2026-01-07T10:30:00Z c1 completed recommend",
        ], lines);
    }

    [Fact]
    public void WhenEntry_OrderArrivingAfterTheInteractions_EntersAtTheOrder()
    {
        var lines = Lines(Run(SpecJourneys.ValueBoost, new Script()
            .Track("c1", "interaction", T)
            .Track("c1", "interaction", T.AddDays(1))
            .Track("c1", "order_completed", T.AddDays(3)), T.AddDays(10)));

        Assert.Equal("2026-01-08T10:00:00Z c1 entered recommend (when)", lines[0]);
    }

    [Fact]
    public void WhenEntry_CustomerWhoNeverOrdered_NeverEnters()
    {
        // daysSince(null) is +infinity, so "within 180 days" is false.
        var lines = Lines(Run(SpecJourneys.ValueBoost, new Script()
            .Track("c1", "interaction", T)
            .Track("c1", "interaction", T.AddDays(1))
            .Track("c1", "interaction", T.AddDays(2)), T.AddDays(10)));

        Assert.Empty(lines);
    }

    [Fact]
    public void WhenEntry_OrderOlderThan180Days_DoesNotEnter()
    {
        var lines = Lines(Run(SpecJourneys.ValueBoost, new Script()
            .Track("c1", "order_completed", T)
            .Track("c1", "interaction", T.AddDays(181))
            .Track("c1", "interaction", T.AddDays(182)), T.AddDays(200)));

        Assert.Empty(lines);
    }

    [Fact]
    public void WhenEntry_InteractionsFurtherApartThan30Days_DoNotEnter()
    {
        var lines = Lines(Run(SpecJourneys.ValueBoost, new Script()
            .Track("c1", "order_completed", T)
            .Track("c1", "interaction", T.AddDays(1))
            .Track("c1", "interaction", T.AddDays(32)), T.AddDays(60)));

        Assert.Empty(lines);
    }

    [Fact]
    public void WhenEntry_TraitChangeThatMakesTheConditionTrue_EntersAtTheIdentify()
    {
        var journey = SpecJourneys.OneStep("big-spender", "when: \"customer.spend12m >= 1000\"");

        var lines = Lines(Run(journey, new Script()
            .Identify("c1", T, traits: ("spend12m", 820))
            .Identify("c1", T.AddDays(4), traits: ("spend12m", 1250)), T.AddDays(10)));

        Assert.Equal(
        [
            "2026-01-09T10:00:00Z c1 entered hello (when)",
            "2026-01-09T10:00:00Z c1 sent hello email:big-spender/hello",
            "2026-01-09T10:00:00Z c1 completed hello",
        ], lines);
    }

    [Fact]
    public void WhenEntry_ConditionStillTrueAfterCompletionWithReentryNever_DoesNotEnterAgain()
    {
        var lines = Lines(Run(SpecJourneys.ValueBoost, new Script()
            .Track("c1", "order_completed", T)
            .Track("c1", "interaction", T.AddDays(1))
            .Track("c1", "interaction", T.AddDays(2))
            .Track("c1", "interaction", T.AddDays(3)), T.AddDays(10)));

        Assert.Single(lines, l => l.Contains(" entered ", StringComparison.Ordinal));
    }

    // A customer whose when entries were all looked at is "settled": events that change nothing skip them until the
    // customer's activity or traits change, an instance ends, or a re-entry gap runs out. These show each way back.

    [Fact]
    public void WhenEntry_ConditionThatTimeMakesTrue_EntersAtTheFirstEventAfterwardEvenOneNoJourneyReads()
    {
        var journey = SpecJourneys.OneStep("anniversary", "when: \"daysSince(customer.joinedAt) >= 30\"");

        var lines = Lines(Run(journey, new Script()
            .Identify("c1", T, traits: ("joinedAt", T))
            .Track("c1", "page_view", T.AddDays(10))
            .Track("c1", "page_view", T.AddDays(20))
            .Track("c1", "page_view", T.AddDays(31)), T.AddDays(40)));

        Assert.Equal("2026-02-05T10:00:00Z c1 entered hello (when)", lines[0]);
    }

    [Fact]
    public void WhenEntry_ReentryGap_EventsThatChangeNothingEnterAgainOnlyOnceTheGapHasRunOut()
    {
        var journey = SpecJourneys.OneStep("vip", "when: \"customer.vip == true\"", reentry: "30d");

        var lines = Lines(Run(journey, new Script()
            .Identify("c1", T, traits: ("vip", true))
            .Track("c1", "page_view", T.AddDays(10))
            .Track("c1", "page_view", T.AddDays(29))
            .Track("c1", "page_view", T.AddDays(31)), T.AddDays(40)));

        Assert.Equal(["2026-01-05T10:00:00Z c1 entered hello (when)", "2026-02-05T10:00:00Z c1 entered hello (when)"],
            lines.Where(l => l.Contains(" entered ", StringComparison.Ordinal)));
    }

    [Fact]
    public void WhenEntry_InstanceEndedByItsTimer_NextEventThatChangesNothingEntersAgain()
    {
        var journey = """
            journey: vip-wait
            version: 1
            entry:
              when: "customer.vip == true"
            reentry: always
            start: hello
            steps:
              hello:
                send: { channel: email, template: vip/hello }
                then:
                  - after: 7d
                    goto: end
            """;

        var lines = Lines(Run(journey, new Script()
            .Identify("c1", T, traits: ("vip", true))
            .Track("c1", "page_view", T.AddDays(3))
            .Track("c1", "page_view", T.AddDays(8)), T.AddDays(10)));

        Assert.Equal(["2026-01-05T10:00:00Z c1 entered hello (when)", "2026-01-13T10:00:00Z c1 entered hello (when)"],
            lines.Where(l => l.Contains(" entered ", StringComparison.Ordinal)));
    }

    [Fact]
    public void WhenEntry_QuietCustomerBetweenPageViews_ActivityThatMakesTheConditionTrueStillEnters()
    {
        // Page views (no journey reads them) leave the customer quiet; the second interaction clears that and enters.
        var lines = Lines(Run(SpecJourneys.ValueBoost, new Script()
            .Track("c1", "order_completed", T)
            .Track("c1", "page_view", T.AddHours(1))
            .Track("c1", "interaction", T.AddDays(1))
            .Track("c1", "page_view", T.AddDays(1).AddHours(1))
            .Track("c1", "page_view", T.AddDays(2))
            .Track("c1", "interaction", T.AddDays(2).AddMinutes(30))
            .Track("c1", "page_view", T.AddDays(3)), T.AddDays(10)));

        Assert.Equal("2026-01-07T10:30:00Z c1 entered recommend (when)", lines[0]);
    }
}
