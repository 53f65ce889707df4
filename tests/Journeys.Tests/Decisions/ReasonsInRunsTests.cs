using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Tests.Policy;
using Journeys.Tests.Runtime;
using static Journeys.Tests.Runtime.Sim;

namespace Journeys.Tests.Decisions;

/// <summary>The reasons runs record, typed: each decision's <see cref="JourneyDecision.Why"/> has the kind and fields of
/// what fired, and <see cref="JourneyDecision.Reason"/> is the text decisions have always had.</summary>
public sealed class ReasonsInRunsTests
{
    private const string Flow = """
        journey: flow
        entry: { on: signed_up }
        start: a
        steps:
          a:
            then:
              - on: clicked
                if: "event.button == 'buy'"
                goto: b
              - after: 7d
                goto: b
          b:
            then:
              - if: "customer.vip == true"
                goto: c
              - goto: c
          c:
            then:
              - split: [ { weight: 1, goto: d }, { weight: 1, goto: e } ]
          d:
            then:
              - if: "customer.vip == true"
                goto: end
          e:
            then:
              - if: "customer.vip == true"
                goto: end
        """;

    private static List<JourneyDecision> Of(IEnumerable<JourneyDecision> decisions, string customer) =>
        decisions.Where(d => d.CustomerId == customer).ToList();

    [Fact]
    public void Moves_ByAnEventWithAGuard_AnAlwaysBranch_ASplit_AndNoBranchMatched_RecordTheirKindsAndFields()
    {
        var decisions = Of(Run(Flow, new Script().Track("c1", "signed_up", T).Track("c1", "clicked", T.AddHours(1), ("button", "buy")), T.AddDays(1)), "c1");

        Assert.Equal(["entered", "moved", "moved", "moved", "completed"], decisions.Select(d => d.KindName));
        var (entered, clicked, always, split, completed) = (decisions[0].Why!, decisions[1].Why!, decisions[2].Why!, decisions[3].Why!, decisions[4].Why!);
        Assert.Equal((ReasonKind.Event, "signed_up", null, "on signed_up"), (entered.Kind, entered.EventType, entered.Expression, decisions[0].Reason));
        Assert.Equal((ReasonKind.Event, "clicked", "event.button == 'buy'", "on clicked if event.button == 'buy'"),
            (clicked.Kind, clicked.EventType, clicked.Expression, decisions[1].Reason));
        Assert.Equal((ReasonKind.Always, "always"), (always.Kind, decisions[2].Reason));
        Assert.Equal((ReasonKind.Split, 2, $"split {split.Branch}/2"), (split.Kind, split.Branches, decisions[3].Reason));
        Assert.Equal(split.Branch == 1 ? "d" : "e", decisions[3].Step);
        Assert.Equal((ReasonKind.NoBranch, "no branch matched"), (completed.Kind, decisions[4].Reason));
    }

    [Fact]
    public void Moves_ByATimerAndAnIfBranch_RecordTheDurationAndTheCondition()
    {
        var decisions = Of(Run(Flow, new Script().Identify("c2", T, traits: ("vip", true)).Track("c2", "signed_up", T), T.AddDays(8)), "c2");

        var timer = decisions[1].Why!;
        Assert.Equal((ReasonKind.Timer, TimeSpan.FromDays(7), "after 7d"), (timer.Kind, timer.Duration, decisions[1].Reason));
        var condition = decisions[2].Why!;
        Assert.Equal((ReasonKind.Condition, "customer.vip == true", "if customer.vip == true"), (condition.Kind, condition.Expression, decisions[2].Reason));
        Assert.Equal((DecisionKind.Completed, ReasonKind.Condition), (decisions[^1].Kind, decisions[^1].Why!.Kind)); // 'if' to end
    }

    [Fact]
    public void Moves_ForEveryCustomer_ShareTheReasonsTheCompiledJourneyMadeOnce()
    {
        var script = new Script();
        for (var i = 0; i < 20; i++)
        {
            script.Track($"c{i}", "signed_up", T);
        }

        var decisions = Run(Flow, script, T.AddDays(8));

        Assert.Single(decisions.Where(d => d.Kind == DecisionKind.Entered).Select(d => d.Why).Distinct(ReferenceEqualityComparer.Instance));
        Assert.Single(decisions.Where(d => d.Why?.Kind == ReasonKind.Timer).Select(d => d.Why).Distinct(ReferenceEqualityComparer.Instance));
        Assert.Equal(2, decisions.Where(d => d.Why?.Kind == ReasonKind.Split).Select(d => d.Why).Distinct(ReferenceEqualityComparer.Instance).Count());
    }

    [Theory]
    [InlineData("when: \"customer.spend12m >= 1000\"", ReasonKind.When, "when")]
    [InlineData("inactive: { for: 90d, of: [login] }", ReasonKind.Inactive, "inactive 90d")]
    [InlineData("date: { trait: birthday, every: year, at: \"09:00\" }", ReasonKind.Date, "date birthday")]
    public void Entries_WhenInactiveAndDate_RecordTheirKindAndFields(string entry, ReasonKind kind, string text)
    {
        var script = new Script().Identify("c1", T, traits: [("spend12m", 2000.0), ("birthday", "1990-03-01")]).Track("c1", "login", T);

        var entered = Assert.Single(Run(SpecJourneys.OneStep("j", entry), script, T.AddYears(1)), d => d.Kind == DecisionKind.Entered);

        Assert.Equal((kind, text), (entered.Why!.Kind, entered.Reason));
        switch (kind)
        {
            case ReasonKind.When:
                Assert.Equal("customer.spend12m >= 1000", entered.Why.Expression);
                break;
            case ReasonKind.Inactive:
                Assert.Equal(TimeSpan.FromDays(90), entered.Why.Duration);
                break;
            default:
                Assert.Equal("birthday", entered.Why.Trait);
                break;
        }
    }

    [Fact]
    public void ExitAndGoal_RecordTheEventType()
    {
        const string journey = """
            journey: trial
            entry: { on: trial_started }
            exit: [ { on: unsubscribed } ]
            goal: { on: upgraded }
            start: wait
            steps:
              wait:
                then: [ { after: 30d, goto: end } ]
            """;
        var script = new Script().Track("c1", "trial_started", T).Track("c1", "upgraded", T.AddDays(1))
            .Track("c2", "trial_started", T).Track("c2", "unsubscribed", T.AddDays(1));

        var decisions = Run(journey, script, T.AddDays(2));

        var goal = Of(decisions, "c1").Where(d => d.Kind is DecisionKind.Goal or DecisionKind.Exited).ToList();
        Assert.Equal(2, goal.Count);
        Assert.All(goal, d => Assert.Equal((ReasonKind.Goal, "upgraded", "goal:upgraded"), (d.Why!.Kind, d.Why.EventType, d.Reason)));
        var exit = Assert.Single(Of(decisions, "c2"), d => d.Kind == DecisionKind.Exited);
        Assert.Equal((ReasonKind.Exit, "unsubscribed", "exit:unsubscribed"), (exit.Why!.Kind, exit.Why.EventType, exit.Reason));
    }

    [Fact]
    public void Policy_CapQuietHoursAndConsent_RecordTheirKinds()
    {
        const string policy = """
            policy:
              tiers:
                normal: "true"
              frequency:
                - { tier: normal, max: 1, per: 7d }
              quietHours: { from: "21:00", to: "08:00" }
            """;
        var decisions = new PaceHarness(policy, PaceHarness.Poke("a"))
            .Identify("c3", T.AddHours(-1), traits: new() { ["consent.push"] = false })
            .Event("c1", "poke", T)
            .Event("c1", "poke", T.AddHours(1))
            .Event("c2", "poke", T.AddHours(12)) // 22:00 UTC
            .Event("c3", "poke", T)
            .Run(T.AddHours(13));

        var cap = Assert.Single(decisions, d => d.CustomerId == "c1" && d.Kind == DecisionKind.Suppressed).Why!;
        Assert.Equal((ReasonKind.Cap, "normal", "cap:normal"), (cap.Kind, cap.Cap, cap.Text));
        var quiet = Assert.Single(decisions, d => d.CustomerId == "c2" && d.Kind == DecisionKind.Deferred).Why!;
        Assert.Equal((ReasonKind.QuietHours, "quiet-hours"), (quiet.Kind, quiet.Text));
        var consent = Assert.Single(decisions, d => d.CustomerId == "c3" && d.Kind == DecisionKind.Suppressed).Why!;
        Assert.Equal((ReasonKind.Consent, "consent"), (consent.Kind, consent.Text));
    }

    [Fact]
    public void DeliveryFailure_RecordsTheChannelsReasonAsADeliveryReason()
    {
        var catalog = Load("""
            journey: j
            entry: { on: go }
            start: a
            steps:
              a:
                send: { channel: sms, template: j/a }
            """);

        var failed = Assert.Single(new Simulator(catalog, new RefusingChannel()).Run(new Script().Track("c1", "go", T).Inputs, T),
            d => d.Kind == DecisionKind.Failed);

        Assert.Equal((ReasonKind.Delivery, "no phone", "no phone"), (failed.Why!.Kind, failed.Why.Message, failed.Reason));
    }

    private sealed class RefusingChannel : IChannel
    {
        public string Name => RecordingChannel.AnyName;

        public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken) =>
            ValueTask.FromResult(DeliveryResult.Permanent("no phone"));
    }
}
