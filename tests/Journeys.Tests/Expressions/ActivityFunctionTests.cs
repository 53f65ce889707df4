using Journeys.State;
using Journeys.Tests.Support;
using static Journeys.Tests.Support.ExpressionHarness;

namespace Journeys.Tests.Expressions;

/// <summary><c>count('type', days)</c> and <c>lastSeen('type')</c> read the customer's activity log through the slots
/// the compiler asked for; the log keeps exactly what the loaded expressions need.</summary>
public sealed class ActivityFunctionTests
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public void Count_EventsInsideAndOutsideTheWindow_CountsOnlyThoseInside()
    {
        var harness = new ExpressionHarness();
        var two = harness.Compile("count('app_open', 14) == 2");
        var customer = harness.Customer();

        harness.Did(customer, "app_open", 1 * Day);
        harness.Did(customer, "app_open", 13 * Day);
        harness.Did(customer, "app_open", 15 * Day);

        Assert.True(Holds(two, customer));
    }

    [Fact]
    public void Count_TwoWindowsOnOneEventType_EachCountsItsOwnWindow()
    {
        var harness = new ExpressionHarness();
        var fortnight = harness.Compile("count('app_open', 14) == 2");
        var month = harness.Compile("count('app_open', 30) == 4");
        var customer = harness.Customer();

        foreach (var days in new[] { 1, 13, 15, 29, 31 })
        {
            harness.Did(customer, "app_open", days * Day);
        }

        Assert.True(Holds(fortnight, customer));
        Assert.True(Holds(month, customer));
    }

    [Fact]
    public void Count_TwoWindows_ShareOneSlotSizedByTheLongest()
    {
        var harness = new ExpressionHarness();
        harness.Compile("count('app_open', 14) > 0");
        harness.Compile("count('app_open', 30) > 0 && lastSeen('app_open') != null");

        var slot = Assert.Single(harness.Activity.Slots);
        Assert.Equal("app_open", slot.EventType);
        Assert.Equal(TimeSpan.FromDays(30), slot.LongestWindow);
        Assert.Equal([14.0, 30.0], slot.Windows);
        Assert.True(slot.LastSeen);
    }

    [Fact]
    public void Count_EventExactlyAWindowAgo_IsOutsideTheWindow()
    {
        var harness = new ExpressionHarness();
        var none = harness.Compile("count('app_open', 14) == 0");
        var customer = harness.Customer();

        harness.Did(customer, "app_open", 14 * Day);

        Assert.True(Holds(none, customer));
    }

    [Fact]
    public void Count_EventLaterThanNow_IsNotCountedYet()
    {
        var harness = new ExpressionHarness();
        var none = harness.Compile("count('app_open', 14) == 0");
        var customer = harness.Customer();

        harness.Did(customer, "app_open", -1 * Day);

        Assert.True(Holds(none, customer));
    }

    [Fact]
    public void Count_OfAnEventTypeNeverSeen_IsZero()
    {
        var harness = new ExpressionHarness();
        var none = harness.Compile("count('app_open', 14) == 0");

        Assert.True(Holds(none, harness.Customer()));
    }

    [Fact]
    public void Count_OfAnotherEventType_IsNotMixedIn()
    {
        var harness = new ExpressionHarness();
        var opens = harness.Compile("count('app_open', 14) == 1");
        harness.Compile("count('login', 14) >= 0");
        var customer = harness.Customer();

        harness.Did(customer, "app_open", Day);
        harness.Did(customer, "login", Day);
        harness.Did(customer, "login", 2 * Day);

        Assert.True(Holds(opens, customer));
    }

    [Fact]
    public void LastSeen_EventsRecordedOutOfOrder_IsTheNewest()
    {
        var harness = new ExpressionHarness();
        var oneDayAgo = harness.Compile("daysSince(lastSeen('login')) == 1");
        var customer = harness.Customer();

        harness.Did(customer, "login", 3 * Day);
        harness.Did(customer, "login", 1 * Day);
        harness.Did(customer, "login", 2 * Day);

        Assert.True(Holds(oneDayAgo, customer));
    }

    [Fact]
    public void LastSeen_NeverSeen_IsNull()
    {
        var harness = new ExpressionHarness();
        var never = harness.Compile("lastSeen('login') == null");

        Assert.True(Holds(never, harness.Customer()));
    }

    [Fact]
    public void LastSeen_IsTheTimestampOfTheEvent()
    {
        var harness = new ExpressionHarness();
        harness.Compile("lastSeen('login') != null");
        var customer = harness.Customer();
        harness.Did(customer, "login", TimeSpan.FromHours(5));

        var value = Context(customer).LastSeen(harness.Activity.Slots.Single().Index);

        Assert.Equal(ValueKind.Timestamp, value.Kind);
        Assert.Equal((Now - TimeSpan.FromHours(5)).UtcTicks, value.AsTicks);
    }
}
