using static Journeys.Tests.Runtime.Sim;

namespace Journeys.Tests.Runtime;

/// <summary>Transitions (<c>then:</c>, in order, first match wins): <c>on</c> with guards over the event, <c>after</c>,
/// arrival branches (<c>if</c>, <c>goto</c>), <c>goto: end</c>; sends given as a list.</summary>
public sealed class TransitionTests
{
    private const string Orders = """
        journey: orders
        version: 1
        entry: { on: signed_up }
        start: wait
        steps:
          wait:
            then:
              - on: order_completed
                if: "event.total >= 100"
                goto: vip
              - on: order_completed
                if: "event.total >= 20"
                goto: regular
              - after: 14d
                goto: lapsed
              - after: 7d
                goto: nudge
          vip:
            send:
              - { channel: email, template: orders/vip-thanks }
              - { channel: agent-task, template: orders/vip-call, category: transactional }
          regular:
            send: { channel: email, template: orders/thanks }
          nudge:
            send: { channel: push, template: orders/nudge }
            then:
              - if: "customer.plan == 'pro'"
                goto: end
              - if: "count('app_open', 3) >= 1"
                goto: regular
          lapsed:
        """;

    private static List<string> RunOrders(Script script) => Lines(Run(Orders, script, T.AddDays(60)));

    [Fact]
    public void OnTransition_FirstGuardThatHoldsOverTheEvent_Wins()
    {
        var lines = RunOrders(new Script()
            .Track("c1", "signed_up", T)
            .Track("c1", "order_completed", T.AddDays(1), ("total", 250.0)));

        Assert.Equal(
        [
            "2026-01-05T10:00:00Z c1 entered wait (on signed_up)",
            "2026-01-06T10:00:00Z c1 moved vip from wait (on order_completed if event.total >= 100)",
            "2026-01-06T10:00:00Z c1 sent vip email:orders/vip-thanks",
            "2026-01-06T10:00:00Z c1 sent vip agent-task:orders/vip-call",
            "2026-01-06T10:00:00Z c1 completed vip",
        ], lines);
    }

    [Fact]
    public void OnTransition_EarlierGuardFails_TheNextTransitionForTheSameEventIsTried()
    {
        var lines = RunOrders(new Script()
            .Track("c1", "signed_up", T)
            .Track("c1", "order_completed", T.AddDays(1), ("total", 45.0)));

        Assert.Equal("2026-01-06T10:00:00Z c1 moved regular from wait (on order_completed if event.total >= 20)", lines[1]);
    }

    [Fact]
    public void OnTransition_NoGuardHolds_TheCustomerKeepsWaitingAndTheTimerStillFires()
    {
        var lines = RunOrders(new Script()
            .Track("c1", "signed_up", T)
            .Track("c1", "order_completed", T.AddDays(1), ("total", 5.0)));

        Assert.Equal("2026-01-12T10:00:00Z c1 moved nudge from wait (after 7d)", lines[1]);
    }

    [Fact]
    public void OnTransition_EventWithoutTheProperty_GuardIsFalse()
    {
        // A missing property is null, and every ordering comparison with null is false.
        var lines = RunOrders(new Script()
            .Track("c1", "signed_up", T)
            .Track("c1", "order_completed", T.AddDays(1)));

        Assert.Equal("2026-01-12T10:00:00Z c1 moved nudge from wait (after 7d)", lines[1]);
    }

    [Fact]
    public void AfterTransitions_TheEarliestFiresWhateverTheWrittenOrder()
    {
        var lines = RunOrders(new Script().Track("c1", "signed_up", T));

        Assert.Equal("2026-01-12T10:00:00Z c1 moved nudge from wait (after 7d)", lines[1]);
        Assert.DoesNotContain(lines, l => l.Contains("lapsed", StringComparison.Ordinal));
    }

    [Fact]
    public void OnlyIfBranches_NoneHolds_CompletesWithNoBranchMatched()
    {
        var lines = RunOrders(new Script().Track("c1", "signed_up", T));

        Assert.Equal(
        [
            "2026-01-05T10:00:00Z c1 entered wait (on signed_up)",
            "2026-01-12T10:00:00Z c1 moved nudge from wait (after 7d)",
            "2026-01-12T10:00:00Z c1 sent nudge push:orders/nudge",
            "2026-01-12T10:00:00Z c1 completed nudge (no branch matched)",
        ], lines);
    }

    [Fact]
    public void IfBranchToEnd_Holds_CompletesWithTheConditionAsReason()
    {
        var lines = RunOrders(new Script()
            .Identify("c1", T, traits: ("plan", "pro"))
            .Track("c1", "signed_up", T));

        Assert.Equal("2026-01-12T10:00:00Z c1 completed nudge (if customer.plan == 'pro')", lines[^1]);
    }

    [Fact]
    public void IfBranches_SecondHolds_MovesOnArrivalWithoutWaiting()
    {
        var lines = RunOrders(new Script()
            .Track("c1", "signed_up", T)
            .Track("c1", "app_open", T.AddDays(6)));

        Assert.Equal(
        [
            "2026-01-12T10:00:00Z c1 moved nudge from wait (after 7d)",
            "2026-01-12T10:00:00Z c1 sent nudge push:orders/nudge",
            "2026-01-12T10:00:00Z c1 moved regular from nudge (if count('app_open', 3) >= 1)",
            "2026-01-12T10:00:00Z c1 sent regular email:orders/thanks",
            "2026-01-12T10:00:00Z c1 completed regular",
        ], lines[1..]);
    }

    [Fact]
    public void GotoWithoutCondition_OnArrival_MovesAtOnceWithReasonAlways()
    {
        var journey = """
            journey: relay
            version: 1
            entry: { on: signed_up }
            start: first
            steps:
              first:
                send: { channel: push, template: relay/first }
                then:
                  - goto: second
              second:
                then:
                  - goto: end
            """;

        var lines = Lines(Run(journey, new Script().Track("c1", "signed_up", T), T));

        Assert.Equal(
        [
            "2026-01-05T10:00:00Z c1 entered first (on signed_up)",
            "2026-01-05T10:00:00Z c1 sent first push:relay/first",
            "2026-01-05T10:00:00Z c1 moved second from first (always)",
            "2026-01-05T10:00:00Z c1 completed second (always)",
        ], lines);
    }

    [Fact]
    public void TimerToEnd_Fires_CompletesAtTheStepWithTheTimerAsReason()
    {
        var journey = SpecJourneys.OneStep("x", "on: signed_up").Replace(
            "send: { channel: email, template: x/hello }",
            "send: { channel: email, template: x/hello }\n    then:\n      - after: 36h\n        goto: end",
            StringComparison.Ordinal);

        var lines = Lines(Run(journey, new Script().Track("c1", "signed_up", T), T.AddDays(5)));

        Assert.Equal("2026-01-06T22:00:00Z c1 completed hello (after 36h)", lines[^1]);
    }
}
