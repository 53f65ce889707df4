using Journeys.Diagnostics;
using Journeys.Tests.Support;
using static Journeys.Tests.Support.ExpressionHarness;

namespace Journeys.Tests.Expressions;

/// <summary><c>sum('type', 'property', days)</c> (journey-language.md "More in expressions"): the sum of a numeric property
/// over that event type's last <c>days</c> days; null-valued and missing properties count 0. The runtime keeps only the
/// (event, property) pairs compiled expressions sum, over the longest window read.</summary>
public sealed class SumTests
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public void Sum_AmountsInsideAndOutsideTheWindow_AddsOnlyThoseInside()
    {
        var harness = new ExpressionHarness();
        var sum = harness.Compile("sum('order_completed', 'amount', 30) == 80.5");
        var customer = harness.Customer();

        harness.Did(customer, "order_completed", "amount", 7.0, -1 * Day);    // later than now: not yet
        harness.Did(customer, "order_completed", "amount", 50.0, 1 * Day);
        harness.Did(customer, "order_completed", "amount", 30.5, 29 * Day);
        harness.Did(customer, "order_completed", "amount", 1000.0, 30 * Day); // exactly a window ago: outside

        Assert.True(Holds(sum, customer));
    }

    [Fact]
    public void Sum_SpecExample_AddsTheOrdersOfTheLast180Days()
    {
        // journey-language.md, "More in expressions": sum('order_completed', 'amount', 180).
        var harness = new ExpressionHarness();
        var total = harness.Compile("sum('order_completed', 'amount', 180) == 300");
        var customer = harness.Customer();

        harness.Did(customer, "order_completed", "amount", 120, 10 * Day);
        harness.Did(customer, "order_completed", "amount", 180, 179 * Day);
        harness.Did(customer, "order_completed", "amount", 999, 181 * Day);

        Assert.True(Holds(total, customer));
    }

    [Fact]
    public void Sum_NullMissingOrTextAmounts_CountZero()
    {
        var harness = new ExpressionHarness();
        var sum = harness.Compile("sum('order_completed', 'amount', 30) == 20");
        var customer = harness.Customer();

        harness.Did(customer, "order_completed", "amount", 20, 1 * Day);
        harness.Did(customer, "order_completed", "amount", null, 2 * Day);
        harness.Did(customer, "order_completed", "amount", "12.5", 3 * Day);
        harness.Did(customer, "order_completed", "amount", true, 4 * Day);

        Assert.True(Holds(sum, customer));
    }

    [Fact]
    public void Sum_CustomerWithNoSuchEvent_IsZeroNotNull()
    {
        Assert.True(HoldsFor("sum('order_completed', 'amount', 30) == 0"));
        Assert.True(HoldsFor("sum('order_completed', 'amount', 30) < 100"));
    }

    [Fact]
    public void Sum_TwoWindowsOfOnePair_ShareOneSlotSizedByTheLongest_EachAddsItsOwnWindow()
    {
        var harness = new ExpressionHarness();
        var week = harness.Compile("sum('order_completed', 'amount', 7) == 10");
        var quarter = harness.Compile("sum('order_completed', 'amount', 90) == 110");
        harness.Compile("sum('order_completed', 'tax', 30) >= 0");

        Assert.Equal([("order_completed", "amount", TimeSpan.FromDays(90)), ("order_completed", "tax", TimeSpan.FromDays(30))],
            harness.Activity.Sums.Select(s => (s.EventType, s.Property, s.LongestWindow)));
        var customer = harness.Customer();
        harness.Did(customer, "order_completed", "amount", 10, 1 * Day);
        harness.Did(customer, "order_completed", "amount", 100, 60 * Day);

        Assert.True(Holds(week, customer));
        Assert.True(Holds(quarter, customer));
    }

    [Fact]
    public void Sum_Clone_KeepsEachPairAtItsIndexWithItsWindow()
    {
        // Stored journey versions compile against a clone: a pair they add comes after the catalog's, which keep their place.
        var harness = new ExpressionHarness();
        harness.Compile("sum('order_completed', 'amount', 0.3) > 0");
        var clone = harness.Activity.Clone();

        Assert.Equal(1, clone.RequireSum("refund", "amount", 7));
        var kept = clone.Sums[0];
        Assert.Equal(("order_completed", "amount", 0, harness.Activity.Sums[0].LongestWindow), (kept.EventType, kept.Property, kept.Index, kept.LongestWindow));
        Assert.Single(harness.Activity.Sums);
    }

    [Fact]
    public void Sum_MoreEventsThanTheCapInTheWindow_KeepsTheNewest()
    {
        var harness = new ExpressionHarness();
        var sum = harness.Compile("sum('tip', 'amount', 30) == 512");
        var customer = harness.Customer();

        for (var i = 0; i < 600; i++)
        {
            harness.Did(customer, "tip", "amount", 1, TimeSpan.FromMinutes(600 - i));
        }

        Assert.True(Holds(sum, customer));
    }

    [Theory]
    [InlineData("sum(customer.kind, 'amount', 30) > 0", "j.yaml:4:12", "sum() needs an event type written as a quoted literal: sum('type', 'property', days)")]
    [InlineData("sum('order_completed', customer.p, 30) > 0", "j.yaml:4:31", "sum() needs a property name written as a quoted literal: sum('type', 'property', days)")]
    [InlineData("sum('order_completed', 'amount', customer.days) > 0", "j.yaml:4:41", "sum() needs a number of days written as a number: sum('type', 'property', days)")]
    [InlineData("sum('order_completed', 'amount') > 0", "j.yaml:4:8", "sum() takes 3 argument(s), not 2: sum('type', 'property', days)")]
    public void Sum_NamesOrDaysNotLiterals_IsALoadErrorAtTheArgument(string expression, string location, string message)
    {
        var d = Diagnose.Single(Snippets.Guard(expression), Diagnose.Error, DiagnosticCodes.TypeError, location);

        Assert.Equal(message, d.Message);
    }

    [Theory]
    [InlineData("sum('order_completed', 'amount', 0) > 0", "j.yaml:4:41", "sum() needs a number of days between 1 and 3660, not 0")]
    [InlineData("sum('order_completed', 'amount', 4000) > 0", "j.yaml:4:41", "sum() needs a number of days between 1 and 3660, not 4000")]
    public void Sum_DaysOutOfRange_IsALoadErrorAtTheDays(string expression, string location, string message)
    {
        var d = Diagnose.Single(Snippets.Guard(expression), Diagnose.Error, DiagnosticCodes.InvalidValue, location);

        Assert.Equal(message, d.Message);
    }

    [Fact]
    public void Sum_NegativeDays_IsALoadErrorAtTheDays()
    {
        var d = Assert.Single(Snippets.Guard("sum('order_completed', 'amount', -30) > 0").Diagnostics);

        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal(("j.yaml", 4), (d.Location.File, d.Location.Line));
        Assert.InRange(d.Location.Column, 41, 42); // at the '-' or the number
        Assert.StartsWith("sum() needs a number of days ", d.Message, StringComparison.Ordinal);
    }
}
