using Journeys.Tests.Support;
using static Journeys.Tests.Support.ExpressionHarness;

namespace Journeys.Tests.Expressions;

/// <summary><c>daysSince(x)</c> and <c>hoursSince(x)</c> take a timestamp or an ISO 8601 string and measure to the
/// engine's current time (here <see cref="ExpressionHarness.Now"/>, 2026-03-01T12:00Z).</summary>
public sealed class TimeFunctionTests
{
    [Fact]
    public void DaysSince_TimestampTrait_IsWholeDaysToNow()
    {
        Assert.True(HoldsFor("daysSince(customer.signedUpAt) == 10", ("signedUpAt", Now.AddDays(-10))));
    }

    [Fact]
    public void DaysSince_PartOfADay_IsFractional()
    {
        Assert.True(HoldsFor("daysSince(customer.signedUpAt) == 1.5", ("signedUpAt", Now.AddHours(-36))));
    }

    [Fact]
    public void DaysSince_IsoStringTrait_IsParsedAsATimestamp()
    {
        Assert.True(HoldsFor("daysSince(customer.signedUpAt) == 10", ("signedUpAt", "2026-02-19T12:00:00Z")));
    }

    [Fact]
    public void DaysSince_IsoStringWithOffset_IsMeasuredInUtc()
    {
        Assert.True(HoldsFor("daysSince(customer.signedUpAt) == 10", ("signedUpAt", "2026-02-19T20:00:00+08:00")));
    }

    [Fact]
    public void DaysSince_IsoStringLiteral_IsParsedAsATimestamp()
    {
        Assert.True(HoldsFor("daysSince('2026-02-28T12:00:00Z') == 1"));
    }

    [Fact]
    public void HoursSince_IsoStringTrait_IsHoursToNow()
    {
        Assert.True(HoldsFor("hoursSince(customer.lastLogin) == 6", ("lastLogin", "2026-03-01T06:00:00Z")));
    }

    [Fact]
    public void HoursSince_NinetyMinutesAgo_IsOneAndAHalf()
    {
        Assert.True(HoldsFor("hoursSince(customer.lastLogin) == 1.5", ("lastLogin", Now.AddMinutes(-90))));
    }

    [Fact]
    public void DaysSince_WithinAndMoreThan_SplitAtTheBoundary()
    {
        var ago30 = ("lastPurchase", (object?)Now.AddDays(-30));

        Assert.True(HoldsFor("daysSince(customer.lastPurchase) <= 30", ago30));
        Assert.False(HoldsFor("daysSince(customer.lastPurchase) > 30", ago30));
    }

    [Fact]
    public void Timestamp_ComparedWithIsoString_ComparesAsTimestamps()
    {
        var at = ("renewsAt", (object?)new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero));

        Assert.True(HoldsFor("customer.renewsAt == '2026-01-05T10:00:00Z'", at));
        Assert.True(HoldsFor("customer.renewsAt == '2026-01-05T18:00:00+08:00'", at));
        Assert.True(HoldsFor("customer.renewsAt < '2026-01-06T00:00:00Z'", at));
        Assert.False(HoldsFor("customer.renewsAt > '2026-01-06T00:00:00Z'", at));
    }
}
