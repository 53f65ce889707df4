using Journeys.Language.Expressions;
using Journeys.State;
using Journeys.Tests.Support;

namespace Journeys.Tests.Expressions;

/// <summary>Strings an expression joins with <c>+</c> are bounded (<see cref="EvaluationContext.MaxStringLength"/>): a join
/// that would be longer is null, the language's missing value, so a large trait joined many times costs a bounded copy.</summary>
public sealed class StringLengthLimitTests
{
    private static readonly string Big = new('x', 500_000);

    [Fact]
    public void Join_TwoHundredTimesAHalfMegabyteTrait_IsNullFastNotGigabytes()
    {
        var harness = new ExpressionHarness();
        var expression = harness.Compile(string.Join(" + ", Enumerable.Repeat("customer.big", 200)) + " == null");
        var customer = harness.Customer(("big", Big));

        var before = GC.GetTotalAllocatedBytes(precise: true);
        Assert.True(Budget.Within(() => ExpressionHarness.Holds(expression, customer)));
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 64L * 1024 * 1024, "the joins allocated more than 64 MB");
    }

    [Fact]
    public void Join_WithinTheLimit_IsTheJoinedText()
    {
        var harness = new ExpressionHarness();
        var expression = harness.Compile("customer.a + '-' + customer.b == 'x-y'");

        Assert.True(ExpressionHarness.Holds(expression, harness.Customer(("a", "x"), ("b", "y"))));
    }

    [Theory]
    [InlineData("customer.a + customer.b")] // two traits: known to be strings only at run time
    [InlineData("customer.a + '67890'")]
    [InlineData("'67890' + customer.a")]
    public void Join_OverTheLimit_IsNull(string join)
    {
        var harness = new ExpressionHarness();
        var expression = harness.Compile($"{join} == null");
        var customer = harness.Customer(("a", "12345"), ("b", "67890"));
        var context = ExpressionHarness.Context(customer);

        context.MaxStringLength = 9;
        Assert.True(expression.IsTrue(context));
        context.MaxStringLength = 10;
        Assert.False(expression.IsTrue(context));
    }

    [Fact]
    public void Join_OverTheLimit_ComparesAsNullDoes()
    {
        var harness = new ExpressionHarness();
        var customer = harness.Customer(("a", "12345"));
        var context = ExpressionHarness.Context(customer);
        context.MaxStringLength = 4;

        Assert.False(harness.Compile("customer.a + 'x' == '12345x'").IsTrue(context));
        Assert.True(harness.Compile("customer.a + 'x' != '12345x'").IsTrue(context));
        Assert.False(harness.Compile("customer.a + 'x' > 'a'").IsTrue(context));
    }

    [Fact]
    public void Add_Numbers_AreUnaffected()
    {
        var context = ExpressionHarness.Context(new ExpressionHarness().Customer());
        context.MaxStringLength = 1;

        Assert.Equal(Value.Number(3), context.Add(Value.Number(1), Value.Number(2)));
    }
}
