using Journeys.State;
using Journeys.Tests.Support;
using static Journeys.Tests.Support.ExpressionHarness;

namespace Journeys.Tests.Expressions;

/// <summary>journey-language.md, "Missing values": a trait the customer lacks, or an absent event property, is null;
/// <c>x == null</c> is true; every ordering with null is false; <c>!=</c> with a non-null value is true;
/// <c>daysSince(null)</c> and <c>hoursSince(null)</c> are +infinity.</summary>
public sealed class NullRulesTests
{
    [Fact]
    public void MissingTrait_EqualsNull_IsTrue()
    {
        Assert.True(HoldsFor("customer.plan == null"));
    }

    [Fact]
    public void MissingTrait_NotEqualsNull_IsFalse()
    {
        Assert.False(HoldsFor("customer.plan != null"));
    }

    [Fact]
    public void PresentTrait_EqualsNull_IsFalse()
    {
        Assert.False(HoldsFor("customer.plan == null", ("plan", "pro")));
    }

    [Theory]
    [InlineData("customer.spend < 100")]
    [InlineData("customer.spend <= 100")]
    [InlineData("customer.spend > 100")]
    [InlineData("customer.spend >= 100")]
    [InlineData("100 < customer.spend")]
    [InlineData("100 >= customer.spend")]
    [InlineData("customer.spend <= null")]
    [InlineData("customer.name < 'm'")]
    public void MissingTrait_InAnyOrdering_IsFalse(string expression)
    {
        Assert.False(HoldsFor(expression));
    }

    [Fact]
    public void MissingTrait_NotEqualToANumber_IsTrue()
    {
        Assert.True(HoldsFor("customer.spend != 100"));
    }

    [Fact]
    public void MissingTrait_EqualToANumber_IsFalse()
    {
        Assert.False(HoldsFor("customer.spend == 100"));
    }

    [Fact]
    public void MissingTrait_InArithmetic_StaysNullSoComparisonsAreFalse()
    {
        Assert.False(HoldsFor("customer.spend + 1 > 0"));
        Assert.True(HoldsFor("customer.spend * 2 == null"));
    }

    [Fact]
    public void MissingTrait_Negated_IsNotTrue()
    {
        Assert.False(HoldsFor("not customer.optedIn"));
        Assert.True(HoldsFor("not (customer.optedIn == true)"));
    }

    [Fact]
    public void AbsentEventProperty_EqualsNull_IsTrue()
    {
        var harness = new ExpressionHarness();
        var absent = harness.Compile("event.coupon == null");
        var present = harness.Compile("event.coupon == 'WELCOME'");
        var customer = harness.Customer();

        var bare = new CustomerEvent("c1", "order_completed", Now);
        var withCoupon = new CustomerEvent("c1", "order_completed", Now, new Dictionary<string, object?> { ["coupon"] = "WELCOME" });

        Assert.True(Holds(absent, customer, bare));
        Assert.False(Holds(present, customer, bare));
        Assert.True(Holds(present, customer, withCoupon));
    }

    [Fact]
    public void DaysSince_Null_IsPositiveInfinity()
    {
        var harness = new ExpressionHarness();
        var expression = harness.Compile("daysSince(customer.lastPurchase) > 1000000");

        var customer = harness.Customer();

        Assert.True(Holds(expression, customer));
        Assert.Equal(double.PositiveInfinity, Context(customer).DaysSince(Value.Null).AsNumber);
        Assert.Equal(double.PositiveInfinity, Context(customer).HoursSince(Value.Null).AsNumber);
    }

    [Fact]
    public void DaysSince_NeverDone_WithinNDaysIsFalse()
    {
        Assert.False(HoldsFor("daysSince(customer.lastPurchase) <= 30"));
    }

    [Fact]
    public void DaysSince_NeverDone_MoreThanNDaysIsTrue()
    {
        Assert.True(HoldsFor("daysSince(customer.lastPurchase) > 30"));
    }

    [Fact]
    public void HoursSince_NeverSeen_WithinIsFalseAndMoreThanIsTrue()
    {
        var harness = new ExpressionHarness();
        var within = harness.Compile("hoursSince(lastSeen('login')) < 24");
        var moreThan = harness.Compile("hoursSince(lastSeen('login')) >= 24");
        var customer = harness.Customer();

        Assert.False(Holds(within, customer));
        Assert.True(Holds(moreThan, customer));
    }

    [Fact]
    public void ValueBoostCondition_CustomerWhoNeverOrdered_DoesNotHold()
    {
        var harness = new ExpressionHarness();
        var boost = harness.Compile("count('interaction', 30) >= 2 && daysSince(lastSeen('order_completed')) <= 180");
        var customer = harness.Customer();
        harness.Did(customer, "interaction", TimeSpan.FromDays(1));
        harness.Did(customer, "interaction", TimeSpan.FromDays(2));

        Assert.False(Holds(boost, customer));
        harness.Did(customer, "order_completed", TimeSpan.FromDays(100));
        Assert.True(Holds(boost, customer));
    }
}
