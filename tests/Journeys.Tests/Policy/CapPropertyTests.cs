using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Journeys.Decisions;

namespace Journeys.Tests.Policy;

public sealed class CapPropertyTests
{
    private static readonly DateTimeOffset T = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    private const string Caps = """
          frequency:
            - { tier: high-value, max: 3, per: 7d }
            - { tier: normal, max: 1, per: 7d }
            - { channel: sms, max: 2, per: 30d }
            - { journey: b, max: 2, per: 3d }
        """;

    private static readonly (string? Tier, string? Channel, string? Journey, int Max, TimeSpan Per)[] CapList =
    [
        ("high-value", null, null, 3, TimeSpan.FromDays(7)),
        ("normal", null, null, 1, TimeSpan.FromDays(7)),
        (null, "sms", null, 2, TimeSpan.FromDays(30)),
        (null, null, "b", 2, TimeSpan.FromDays(3)),
    ];

    [Property(MaxTest = 40)]
    public Property NoCustomerEverExceedsAnyCapInAnyWindow() =>
        Prop.ForAll(Arb.From(Gen.Choose(1, int.MaxValue - 1)), Arb.From(Gen.Elements("skip", "defer")), (seed, whenCapped) =>
        {
            var policy = $"""
                policy:
                  tiers:
                    high-value: "customer.spend12m >= 5000"
                    normal: "true"
                {Caps}
                  quietHours: {"{"} from: "22:00", to: "07:00" {"}"}
                  whenCapped: {whenCapped}
                  deferFor: 5d
                """;
            var random = new Random(seed);
            var harness = new PaceHarness(policy,
                PaceHarness.Poke("a", "push", eventType: "pa"),
                PaceHarness.Poke("b", "sms", ", priority: 2", eventType: "pb"),
                PaceHarness.Poke("c", "email", eventType: "pc"));
            var tiers = new Dictionary<string, string>();
            for (var c = 0; c < 12; c++)
            {
                var user = $"u{c}";
                var vip = random.NextDouble() < 0.5;
                tiers[user] = vip ? "high-value" : "normal";
                harness.Identify(user, T, random.NextDouble() < 0.5 ? "Asia/Shanghai" : "America/New_York",
                    new() { ["spend12m"] = vip ? 8000.0 : 10.0 });
                var at = T.AddMinutes(1);
                for (var n = 0; n < 60; n++)
                {
                    at = at.AddMinutes(random.Next(1, 60 * 48));
                    harness.Event(user, random.Next(3) switch { 0 => "pa", 1 => "pb", _ => "pc" }, at);
                }
            }

            var decisions = harness.Run(T.AddDays(200));
            var sent = decisions.Where(d => d.Kind == DecisionKind.Sent).ToList();
            foreach (var group in sent.GroupBy(d => d.CustomerId))
            {
                var sends = group.OrderBy(d => d.Timestamp).ToList();
                foreach (var cap in CapList.Where(c => c.Tier is null || c.Tier == tiers[group.Key]))
                {
                    var matching = sends.Where(d => (cap.Channel is null || d.Channel == cap.Channel) && (cap.Journey is null || d.JourneyId == cap.Journey)).ToList();
                    foreach (var s in matching)
                    {
                        var inWindow = matching.Count(o => o.Timestamp <= s.Timestamp && s.Timestamp - o.Timestamp < cap.Per);
                        if (inWindow > cap.Max)
                        {
                            return false.Label($"{group.Key} has {inWindow} sends in the {cap.Per.TotalDays}d window ending {s.Timestamp:O} (cap {cap.Tier ?? cap.Channel ?? cap.Journey} max {cap.Max})");
                        }
                    }
                }
            }

            // Nothing is lost: every send attempt ends sent or suppressed (a deferred send ends one way or the other).
            var attempts = decisions.Count(d => d.Kind is DecisionKind.Sent or DecisionKind.Suppressed);
            return (attempts == 12 * 60).Label($"{attempts} of {12 * 60} send attempts ended sent or suppressed");
        });
}
