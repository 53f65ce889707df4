using Journeys.Language.Loading;
using Journeys.Tests.Runtime;
using Journeys.Tests.Support;
using static Journeys.Tests.Runtime.Sim;

namespace Journeys.Tests.Policy;

/// <summary><c>category: operational</c> (spec v2, "Operational sends": not capped, not counted against caps, not held by
/// quiet hours, no consent needed) and a send's <c>validFor</c> deadline (a held send past it is dropped as
/// <c>expired</c>).</summary>
public sealed class OperationalAndValidForTests
{
    private const string Policy = """
        policy:
          frequency:
            - { max: 1, per: 7d }
          quietHours: { from: "21:00", to: "08:00" }
          whenCapped: defer
          deferFor: 7d
        """;

    private static JourneyCatalog With(string journey)
    {
        var catalog = JourneyLoader.LoadYaml(("policy.yaml", Policy), ("j.yaml", journey));
        Diagnose.NoErrors(catalog);
        return catalog;
    }

    private static readonly DateTimeOffset Evening = new(2026, 1, 5, 22, 0, 0, TimeSpan.Zero); // inside quiet hours (UTC customer)

    [Fact]
    public void Operational_InQuietHoursWithoutConsent_IsSentAtOnce()
    {
        var journey = """
            journey: callback
            entry: { on: joined }
            start: call
            steps:
              call:
                send: { channel: agent-task, template: t/call, category: operational }
            """;

        var lines = Lines(Run(With(journey), new Script()
            .Identify("c1", Evening.AddMinutes(-1), null, ("consent.agent-task", false)).Track("c1", "joined", Evening), Evening.AddDays(1)));

        Assert.Contains("2026-01-05T22:00:00Z c1 sent call agent-task:t/call", lines);
    }

    [Fact]
    public void Transactional_WithoutConsent_IsStillSuppressed()
    {
        var journey = """
            journey: receipt
            entry: { on: joined }
            start: r
            steps:
              r:
                send: { channel: email, template: t/receipt, category: transactional }
            """;

        var lines = Lines(Run(With(journey), new Script()
            .Identify("c1", T.AddMinutes(-1), null, ("consent.email", false)).Track("c1", "joined", T), T.AddDays(1)));

        Assert.Contains("2026-01-05T10:00:00Z c1 suppressed r email:t/receipt (consent)", lines);
    }

    [Fact]
    public void Operational_IsNotCountedAgainstCaps_MarketingStillIs()
    {
        var journey = """
            journey: mix
            entry: { on: joined }
            start: a
            steps:
              a:
                send:
                  - { channel: agent-task, template: t/call, category: operational }
                  - { channel: agent-task, template: t/call2, category: operational }
                  - { channel: push, template: t/promo }
                then: [ { after: 1d, goto: b } ]
              b:
                send: { channel: push, template: t/promo2 }
            """;

        var lines = Lines(Run(With(journey), new Script().Track("c1", "joined", T), T.AddDays(2)));

        Assert.Contains("2026-01-05T10:00:00Z c1 sent a push:t/promo", lines);       // two operational sends took no slot
        Assert.Contains("2026-01-06T10:00:00Z c1 deferred b push:t/promo2 (cap:all)", lines); // the marketing one did
    }

    [Fact]
    public void ValidFor_HeldPastTheDeadline_IsDroppedAsExpired()
    {
        var journey = """
            journey: last-call
            entry: { on: joined }
            start: s
            steps:
              s:
                send: { channel: sms, template: t/last-call, validFor: 6h }
            """;

        var lines = Lines(Run(With(journey), new Script().Track("c1", "joined", Evening), Evening.AddDays(1)));

        Assert.Equal(
        [
            "2026-01-05T22:00:00Z c1 entered s (on joined)",
            "2026-01-05T22:00:00Z c1 deferred s sms:t/last-call (quiet-hours)",
            "2026-01-05T22:00:00Z c1 completed s",
            "2026-01-06T04:00:00Z c1 suppressed s sms:t/last-call (expired after 6h)",
        ], lines);
    }

    [Fact]
    public void ValidFor_ReleasedBeforeTheDeadline_IsSent()
    {
        var journey = """
            journey: last-call
            entry: { on: joined }
            start: s
            steps:
              s:
                send: { channel: sms, template: t/last-call, validFor: 10h }
            """;

        var lines = Lines(Run(With(journey), new Script().Track("c1", "joined", Evening), Evening.AddDays(1)));

        Assert.Contains("2026-01-06T08:00:00Z c1 sent s sms:t/last-call", lines);
        Assert.DoesNotContain(lines, l => l.Contains("expired", StringComparison.Ordinal));
    }

    [Fact]
    public void ValidFor_DeferredByACap_IsDroppedAtItsDeadlineNotAtDeferFor()
    {
        var journey = """
            journey: promo
            entry: { on: joined }
            reentry: always
            start: s
            steps:
              s:
                send: { channel: push, template: t/promo, validFor: 2d }
            """;

        var lines = Lines(Run(With(journey), new Script().Track("c1", "joined", T).Track("c1", "joined", T.AddDays(1)), T.AddDays(10)));

        Assert.Contains("2026-01-06T10:00:00Z c1 deferred s push:t/promo (cap:all)", lines);
        Assert.Contains("2026-01-08T10:00:00Z c1 suppressed s push:t/promo (expired after 2d)", lines);
    }

    [Fact]
    public void ValidFor_NotADuration_IsAnErrorAtItsPlace()
    {
        var catalog = Diagnose.Load("""
            journey: j
            entry: { on: a }
            start: s
            steps:
              s:
                send: { channel: sms, template: t, validFor: soon }
            """);

        Diagnose.Refused(catalog, Journeys.Diagnostics.DiagnosticCodes.BadDuration, "j.yaml:6:50");
    }

    [Theory]
    [InlineData(Journeys.Delivery.MessageCategory.Marketing, "marketing")]
    [InlineData(Journeys.Delivery.MessageCategory.Transactional, "transactional")]
    [InlineData(Journeys.Delivery.MessageCategory.Operational, "operational")]
    public void OutboxDocument_KeepsTheCategory(Journeys.Delivery.MessageCategory category, string written)
    {
        var message = new Journeys.Delivery.OutboundMessage { IdempotencyKey = "k", Channel = "c", Template = "t", CustomerId = "c1", JourneyId = "j", Step = "s", Category = category };

        var json = Journeys.Persistence.OutboxJson.Write(message);

        Assert.Contains($"\"category\":\"{written}\"", System.Text.Encoding.UTF8.GetString(json), StringComparison.Ordinal);
        Assert.Equal(category, Journeys.Persistence.OutboxJson.Read(json).Category);
    }
}
