using Journeys.Decisions;
using Journeys.Engine;
using Journeys.Interchange;
using Journeys.Language.Expressions;
using Journeys.Language.Loading;
using Journeys.State;

namespace Journeys.Tests.Expressions;

public sealed class TimeTrendTests
{
    [Theory]
    [InlineData("count('interaction', 30) >= 2 && daysSince(lastSeen('order_completed')) <= 180", true)]
    [InlineData("count('x', 7) > 0", true)]
    [InlineData("customer.spend12m >= 5000", true)]
    [InlineData("rule('W.R') || customer.vip == true", true)]
    [InlineData("count('x', 7) == 0", false)]            // becomes true as events leave the window
    [InlineData("daysSince(customer.joinedAt) > 30", false)]
    [InlineData("hoursSince(lastSeen('login')) >= 24", false)]
    [InlineData("!(count('x', 7) > 0)", false)]
    [InlineData("customer.tier == 'high-value'", false)]  // tiers may read time-dependent functions
    [InlineData("count('x', 7) - daysSince(lastSeen('y')) > 1", true)]
    public void Condition_TimeAlone_CanOrCannotMakeItTrue(string condition, bool cannotBecomeTrue)
    {
        var tree = NCalc.Expression.Compile(ExpressionLexer.Read(condition).Rewritten, true);

        Assert.Equal(cannotBecomeTrue, TimeTrend.CannotBecomeTrueWithTime(tree));
    }

    private static readonly DateTimeOffset T = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    private static List<JourneyDecision> Run(string when, params SegmentInput[] inputs)
    {
        var catalog = JourneyLoader.LoadYaml(("w.yaml", $"""
            journey: w
            entry: {"{"} when: "{when}" {"}"}
            start: s
            steps:
              s: ~
            """)).ThrowIfInvalid();
        return new Simulator(catalog).Run(inputs, null);
    }

    private static SegmentInput Track(int line, string type, DateTimeOffset at) => new(line, at, new CustomerEvent("c1", type, at), null);

    [Fact]
    public void WhenEntry_BecomingTrueWithTime_IsEnteredOnTheNextIdleEvent()
    {
        var decisions = Run("daysSince(customer.joinedAt) > 30",
            new SegmentInput(1, T, null, new CustomerProfile("c1", new Dictionary<string, object?> { ["joinedAt"] = T.ToString("O") })),
            Track(2, "page_view", T.AddDays(10)),
            Track(3, "page_view", T.AddDays(31)));

        var entered = Assert.Single(decisions, d => d.Kind == DecisionKind.Entered);
        Assert.Equal(T.AddDays(31), entered.Timestamp);
    }

    [Fact]
    public void WhenEntry_FallingCondition_IsEnteredAsSoonAsActivityMakesItTrue()
    {
        var decisions = Run("count('interaction', 30) >= 2",
            Track(1, "interaction", T),
            Track(2, "page_view", T.AddDays(1)),
            Track(3, "page_view", T.AddDays(2)),
            Track(4, "interaction", T.AddDays(3)));

        var entered = Assert.Single(decisions, d => d.Kind == DecisionKind.Entered);
        Assert.Equal(T.AddDays(3), entered.Timestamp);
    }
}
