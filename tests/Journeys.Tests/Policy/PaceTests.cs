using Journeys.Decisions;

namespace Journeys.Tests.Policy;

public sealed class PaceTests
{
    private static readonly DateTimeOffset T = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    private const string OnePerWeek = """
        policy:
          tiers:
            normal: "true"
          frequency:
            - { tier: normal, max: 1, per: 7d }
        """;

    [Fact]
    public void Cap_SendExactlyOneWindowLater_CountsNoMore()
    {
        var decisions = new PaceHarness(OnePerWeek, PaceHarness.Poke("a"))
            .Event("c1", "poke", T)
            .Event("c1", "poke", T.AddDays(7).AddTicks(-1))
            .Event("c1", "poke", T.AddDays(7))
            .Run();

        Assert.Equal(
        [
            (DecisionKind.Sent, T, null),
            (DecisionKind.Suppressed, T.AddDays(7).AddTicks(-1), "cap:normal"),
            (DecisionKind.Sent, T.AddDays(7), null),
        ], PaceHarness.Sends(decisions));
    }

    [Fact]
    public void Caps_AcrossJourneys_CountEverySendHandedToAChannel()
    {
        var decisions = new PaceHarness(OnePerWeek, PaceHarness.Poke("a", eventType: "poke-a"), PaceHarness.Poke("b", eventType: "poke-b"))
            .Event("c1", "poke-a", T)
            .Event("c1", "poke-b", T.AddDays(1))
            .Run();

        Assert.Equal([(DecisionKind.Sent, T, null), (DecisionKind.Suppressed, T.AddDays(1), "cap:normal")], PaceHarness.Sends(decisions));
        Assert.Equal("b", decisions.Single(d => d.Kind == DecisionKind.Suppressed).JourneyId);
    }

    [Fact]
    public void Caps_Several_EveryApplicableCapMustAllow()
    {
        const string policy = """
            policy:
              tiers:
                high-value: "customer.spend12m >= 5000"
                normal: "true"
              frequency:
                - { tier: high-value, max: 3, per: 7d }
                - { tier: normal, max: 1, per: 7d }
                - { channel: sms, max: 2, per: 30d }
                - { journey: a, max: 5, per: 1d }
            """;
        var decisions = new PaceHarness(policy, PaceHarness.Poke("a", "sms"))
            .Identify("vip", T.AddHours(-1), traits: new() { ["spend12m"] = 9000.0 })
            .Event("vip", "poke", T)
            .Event("vip", "poke", T.AddDays(1))
            .Event("vip", "poke", T.AddDays(2)) // high-value allows a third this week, but sms allows 2 per 30 days
            .Event("vip", "poke", T.AddDays(31))
            .Run();

        Assert.Equal(
        [
            (DecisionKind.Sent, T, null),
            (DecisionKind.Sent, T.AddDays(1), null),
            (DecisionKind.Suppressed, T.AddDays(2), "cap:sms"),
            (DecisionKind.Sent, T.AddDays(31), null),
        ], PaceHarness.Sends(decisions));
    }

    [Fact]
    public void Caps_TierFollowsTraits_HighValueGetsThreeAWeekNormalOne()
    {
        const string policy = """
            policy:
              tiers:
                high-value: "customer.spend12m >= 5000"
                normal: "true"
              frequency:
                - { tier: high-value, max: 3, per: 7d }
                - { tier: normal, max: 1, per: 7d }
            """;
        var harness = new PaceHarness(policy, PaceHarness.Poke("a"))
            .Identify("vip", T.AddHours(-1), traits: new() { ["spend12m"] = 9000.0 })
            .Identify("joe", T.AddHours(-1), traits: new() { ["spend12m"] = 100.0 });
        for (var day = 0; day < 7; day++)
        {
            harness.Event("vip", "poke", T.AddDays(day)).Event("joe", "poke", T.AddDays(day));
        }

        var decisions = harness.Run();

        Assert.Equal(3, decisions.Count(d => d.CustomerId == "vip" && d.Kind == DecisionKind.Sent));
        Assert.Equal(1, decisions.Count(d => d.CustomerId == "joe" && d.Kind == DecisionKind.Sent));
        Assert.All(decisions.Where(d => d.Kind == DecisionKind.Suppressed), d => Assert.Equal(d.CustomerId == "vip" ? "cap:high-value" : "cap:normal", d.Reason));
    }

    [Fact]
    public void Transactional_IsNeitherCappedNorCounted()
    {
        var decisions = new PaceHarness(OnePerWeek, PaceHarness.Poke("receipt", extra: ", category: transactional", eventType: "paid"), PaceHarness.Poke("a"))
            .Event("c1", "paid", T)
            .Event("c1", "paid", T.AddHours(1))
            .Event("c1", "poke", T.AddHours(2))
            .Run();

        Assert.Equal(3, decisions.Count(d => d.Kind == DecisionKind.Sent));
    }

    [Fact]
    public void Consent_FalseForTheChannel_SuppressesWithReasonConsent()
    {
        var decisions = new PaceHarness(OnePerWeek, PaceHarness.Poke("a", "sms"))
            .Identify("c1", T.AddHours(-1), traits: new() { ["consent.sms"] = false })
            .Identify("c2", T.AddHours(-1), traits: new() { ["consent.push"] = false })
            .Event("c1", "poke", T)
            .Event("c2", "poke", T)
            .Run();

        Assert.Equal([(DecisionKind.Suppressed, T, "consent")], PaceHarness.Sends(decisions, "c1"));
        Assert.Equal([(DecisionKind.Sent, T, null)], PaceHarness.Sends(decisions, "c2"));
    }

    [Fact]
    public void WhenCappedDefer_SlotFrees_HigherPriorityGoesFirstThenAge()
    {
        const string policy = """
            policy:
              tiers:
                normal: "true"
              frequency:
                - { tier: normal, max: 1, per: 7d }
              whenCapped: defer
              deferFor: 10d
            """;
        var decisions = new PaceHarness(policy,
                PaceHarness.Poke("first", eventType: "p1"),
                PaceHarness.Poke("low", extra: ", priority: 1", eventType: "p2"),
                PaceHarness.Poke("high", extra: ", priority: 5", eventType: "p3"))
            .Event("c1", "p1", T)
            .Event("c1", "p2", T.AddDays(1))
            .Event("c1", "p3", T.AddDays(2))
            .Run(T.AddDays(30));

        var timeline = decisions.Where(d => d.Kind is DecisionKind.Sent or DecisionKind.Deferred or DecisionKind.Suppressed)
            .Select(d => (d.JourneyId, d.Kind, d.Timestamp, d.Reason)).ToList();
        Assert.Equal(
        [
            ("first", DecisionKind.Sent, T, null),
            ("low", DecisionKind.Deferred, T.AddDays(1), "cap:normal"),
            ("high", DecisionKind.Deferred, T.AddDays(2), "cap:normal"),
            ("high", DecisionKind.Sent, T.AddDays(7), null),            // the freed slot goes to the higher priority
            ("low", DecisionKind.Suppressed, T.AddDays(11), "cap:normal"), // next slot at +14d is past its 10 days
        ], timeline);
    }

    [Fact]
    public void WhenCappedDefer_EqualPriority_OlderGoesFirst()
    {
        const string policy = """
            policy:
              tiers:
                normal: "true"
              frequency:
                - { tier: normal, max: 1, per: 7d }
              whenCapped: defer
              deferFor: 30d
            """;
        var decisions = new PaceHarness(policy, PaceHarness.Poke("a", eventType: "p1"), PaceHarness.Poke("b", eventType: "p2"), PaceHarness.Poke("c", eventType: "p3"))
            .Event("c1", "p1", T)
            .Event("c1", "p3", T.AddDays(1))
            .Event("c1", "p2", T.AddDays(2))
            .Run(T.AddDays(40));

        var sent = decisions.Where(d => d.Kind == DecisionKind.Sent).Select(d => (d.JourneyId, d.Timestamp)).ToList();
        Assert.Equal([("a", T), ("c", T.AddDays(7)), ("b", T.AddDays(14))], sent);
    }

    [Fact]
    public void QuietHours_AsiaShanghaiEvening_WaitsUntilEightLocalAndIsCappedThen()
    {
        const string policy = """
            policy:
              tiers:
                normal: "true"
              frequency:
                - { tier: normal, max: 1, per: 7d }
              quietHours: { from: "21:00", to: "08:00" }
            """;
        var evening = new DateTimeOffset(2026, 1, 5, 14, 0, 0, TimeSpan.Zero); // 22:00 in Shanghai (UTC+8)
        var decisions = new PaceHarness(policy, PaceHarness.Poke("a", eventType: "p1"), PaceHarness.Poke("b", eventType: "p2"))
            .Identify("c1", evening.AddHours(-1), "Asia/Shanghai")
            .Event("c1", "p1", evening)
            .Event("c1", "p2", evening.AddHours(1))
            .Run(evening.AddDays(2));

        Assert.Equal(
        [
            (DecisionKind.Deferred, evening, "quiet-hours"),
            (DecisionKind.Deferred, evening.AddHours(1), "quiet-hours"),
            (DecisionKind.Sent, new DateTimeOffset(2026, 1, 6, 0, 0, 0, TimeSpan.Zero), null),        // 08:00 local
            (DecisionKind.Suppressed, new DateTimeOffset(2026, 1, 6, 0, 0, 0, TimeSpan.Zero), "cap:normal"),
        ], PaceHarness.Sends(decisions));
    }

    [Theory]
    [InlineData("2026-03-08T04:00:00Z", "2026-03-08T12:00:00Z")] // 23:00 EST before spring-forward -> 08:00 EDT
    [InlineData("2026-03-08T07:30:00Z", "2026-03-08T12:00:00Z")] // 03:30 EDT, just after the gap
    [InlineData("2026-11-01T02:00:00Z", "2026-11-01T13:00:00Z")] // 22:00 EDT before fall-back -> 08:00 EST
    [InlineData("2026-11-01T06:30:00Z", "2026-11-01T13:00:00Z")] // 01:30 EST, the repeated hour
    [InlineData("2026-11-01T13:00:00Z", null)]                   // 08:00 EST: quiet hours are over
    public void QuietHours_NewYorkAcrossClockChanges_ReleaseAtEightLocal(string sendAt, string? releasedAt)
    {
        const string policy = """
            policy:
              quietHours: { from: "21:00", to: "08:00" }
            """;
        var at = DateTimeOffset.Parse(sendAt, System.Globalization.CultureInfo.InvariantCulture);
        var decisions = new PaceHarness(policy, PaceHarness.Poke("a"))
            .Identify("c1", at.AddDays(-1), "America/New_York")
            .Event("c1", "poke", at)
            .Run(at.AddDays(2));

        var sent = decisions.Single(d => d.Kind == DecisionKind.Sent);
        Assert.Equal(releasedAt is null ? at : DateTimeOffset.Parse(releasedAt, System.Globalization.CultureInfo.InvariantCulture), sent.Timestamp);
        Assert.Equal(releasedAt is null ? 0 : 1, decisions.Count(d => d.Kind == DecisionKind.Deferred));
    }

    [Theory]
    [InlineData("America/New_York", "2026-03-08T05:00:00Z", "2026-03-08T07:00:00Z")] // 02:30 is skipped: 03:00 EDT, when the clocks change
    [InlineData("Europe/Berlin", "2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z")]    // 02:30 is skipped: 03:00 CEST
    [InlineData("America/New_York", "2026-03-07T05:00:00Z", "2026-03-07T07:30:00Z")] // the day before: 02:30 EST
    public void QuietHours_EndingInTheHourSpringForwardSkips_ReleaseWhenTheClocksChange(string zone, string sendAt, string releasedAt)
    {
        const string policy = """
            policy:
              quietHours: { from: "21:00", to: "02:30" }
            """;
        var at = DateTimeOffset.Parse(sendAt, System.Globalization.CultureInfo.InvariantCulture);
        var decisions = new PaceHarness(policy, PaceHarness.Poke("a"))
            .Identify("c1", at.AddDays(-1), zone)
            .Event("c1", "poke", at)
            .Run(at.AddDays(2));

        var sent = decisions.Single(d => d.Kind == DecisionKind.Sent);
        Assert.Equal(DateTimeOffset.Parse(releasedAt, System.Globalization.CultureInfo.InvariantCulture), sent.Timestamp);
    }

    [Fact]
    public void DeferredSend_CustomerExits_IsSuppressedWithTheExitRule()
    {
        const string policy = """
            policy:
              quietHours: { from: "21:00", to: "08:00" }
            """;
        const string journey = """
            journey: a
            entry: { on: poke }
            exit: [ { on: unsubscribed } ]
            start: s
            steps:
              s:
                send: { channel: push, template: a/t }
                then: [ { after: 30d, goto: end } ]
            """;
        var night = new DateTimeOffset(2026, 1, 5, 22, 0, 0, TimeSpan.Zero);
        var decisions = new PaceHarness(policy, ("a.yaml", journey))
            .Event("c1", "poke", night)
            .Event("c1", "unsubscribed", night.AddHours(1))
            .Run(night.AddDays(1));

        Assert.Equal([(DecisionKind.Deferred, night, "quiet-hours"), (DecisionKind.Suppressed, night.AddHours(1), "exit:unsubscribed")],
            PaceHarness.Sends(decisions));
    }
}
