using Journeys.Decisions;
using Journeys.Language.Definitions;
using Journeys.State;

namespace Journeys.Tests.Decisions;

/// <summary>Typed reasons: each kind with its fields, and its text exactly as decisions have always printed it (the CLI
/// contract's <c>reason</c> field, explain's lines, the docs' examples).</summary>
public sealed class DecisionReasonTests
{
    /// <summary>One reason of every kind, the fields it sets (others stay unset), and its text.</summary>
    public static TheoryData<DecisionReason, ReasonKind, string, string> EveryKind => new()
    {
        { DecisionReason.Event("signed_up"), ReasonKind.Event, "EventType=signed_up", "on signed_up" },
        { DecisionReason.Event("clicked", "event.button == 'buy'"), ReasonKind.Event, "EventType=clicked Expression=event.button == 'buy'", "on clicked if event.button == 'buy'" },
        { DecisionReason.When("customer.spend12m >= 1000"), ReasonKind.When, "Expression=customer.spend12m >= 1000", "when" },
        { DecisionReason.Inactive(TimeSpan.FromDays(90)), ReasonKind.Inactive, "Duration=90.00:00:00", "inactive 90d" },
        { DecisionReason.Date("birthday"), ReasonKind.Date, "Trait=birthday", "date birthday" },
        { DecisionReason.Timer(TimeSpan.FromDays(7)), ReasonKind.Timer, "Duration=7.00:00:00", "after 7d" },
        { DecisionReason.Timer(TimeSpan.FromMinutes(90)), ReasonKind.Timer, "Duration=01:30:00", "after 90m" },
        { DecisionReason.Timer(TimeSpan.FromHours(36)), ReasonKind.Timer, "Duration=1.12:00:00", "after 36h" },
        { DecisionReason.Condition("count('order', 30) > 0"), ReasonKind.Condition, "Expression=count('order', 30) > 0", "if count('order', 30) > 0" },
        { DecisionReason.Always, ReasonKind.Always, "", "always" },
        { DecisionReason.Split(1, 2), ReasonKind.Split, "Branch=1 Branches=2", "split 1/2" },
        { DecisionReason.NoBranch, ReasonKind.NoBranch, "", "no branch matched" },
        { DecisionReason.Loop, ReasonKind.Loop, "", "loop: arrival branches never settle" },
        { DecisionReason.Exit("unsubscribed"), ReasonKind.Exit, "EventType=unsubscribed", "exit:unsubscribed" },
        { DecisionReason.Goal("order_completed"), ReasonKind.Goal, "EventType=order_completed", "goal:order_completed" },
        { DecisionReason.Capped("normal"), ReasonKind.Cap, "Cap=normal", "cap:normal" },
        { DecisionReason.Capped("high-value/sms"), ReasonKind.Cap, "Cap=high-value/sms", "cap:high-value/sms" },
        { DecisionReason.QuietHours, ReasonKind.QuietHours, "", "quiet-hours" },
        { DecisionReason.Consent, ReasonKind.Consent, "", "consent" },
        { DecisionReason.Stale, ReasonKind.Stale, "", "stale" },
        { DecisionReason.Expired(TimeSpan.FromDays(2)), ReasonKind.Expired, "Duration=2.00:00:00", "expired after 2d" },
        { DecisionReason.TimerLabel("after 7bd from entry"), ReasonKind.Timer, "", "after 7bd from entry" },
        { DecisionReason.TemplateFailed("welcome/hello", "Liquid error: divided by 0"), ReasonKind.Template, "Template=welcome/hello Message=Liquid error: divided by 0", "template 'welcome/hello': Liquid error: divided by 0" },
        { DecisionReason.Delivery("HTTP 503 (Service Unavailable)"), ReasonKind.Delivery, "Message=HTTP 503 (Service Unavailable)", "HTTP 503 (Service Unavailable)" },
        { DecisionReason.Migrated(1), ReasonKind.Migrated, "Version=1", "migrated from v1" },
        { DecisionReason.VersionChanged(3), ReasonKind.VersionChanged, "Version=3", "version 3 changed" },
        { DecisionReason.StepRemoved(2, "consult"), ReasonKind.StepRemoved, "Version=2 Step=consult", "version 2 has no step 'consult'" },
        { DecisionReason.NoWayOut(2, "wait"), ReasonKind.NoWayOut, "Version=2 Step=wait", "version 2: step 'wait' has no way out" },
        { DecisionReason.RuleError("Tiers.HighValue", "Operator '>=' incompatible"), ReasonKind.RuleError, "Rule=Tiers.HighValue Message=Operator '>=' incompatible", "rule-error:Tiers.HighValue: Operator '>=' incompatible" },
        { DecisionReason.Removed, ReasonKind.Removed, "", "removed" },
        { DecisionReason.NoCase("event.ticketId"), ReasonKind.NoCase, "Expression=event.ticketId", "no case: event.ticketId is null" },
        { DecisionReason.CasesFull(20), ReasonKind.CasesFull, "MaxCases=20", "maxCases 20 reached" },
        { DecisionReason.TraitsSet(["stage", "points"]), ReasonKind.TraitsSet, "Traits=stage,points", "set stage, points" },
        { DecisionReason.Emitted("vip_joined"), ReasonKind.Emitted, "EventType=vip_joined", "emit vip_joined" },
        { DecisionReason.Called("loyalty-credit", "{\"status\":\"ok\"}"), ReasonKind.Called, "Message={\"status\":\"ok\"}", "call loyalty-credit: {\"status\":\"ok\"}" },
        { DecisionReason.EmitChain("tick", 8), ReasonKind.EmitChain, "EventType=tick", "emit-chain:tick: more than 8 chained events at one instant" },
        { DecisionReason.Schedule(new DateTimeOffset(2026, 1, 12, 10, 0, 0, TimeSpan.FromHours(8))), ReasonKind.Schedule, "Occurrence=01/12/2026 10:00:00 +08:00", "schedule 2026-01-12T10:00:00+08:00" },
    };

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void Reason_OfEachKind_HasItsFieldsOnlyAndTheTextDecisionsAlwaysPrinted(DecisionReason reason, ReasonKind kind, string fields, string text)
    {
        Assert.Equal(kind, reason.Kind);
        Assert.Equal(fields, Fields(reason));
        Assert.Equal(text, reason.Text);
        Assert.Equal(text, reason.ToString());
    }

    [Fact]
    public void EveryKind_CoversEachReasonKind()
    {
        var covered = EveryKind.Select(row => (ReasonKind)row[1]).ToHashSet();

        Assert.All(Enum.GetValues<ReasonKind>(), kind => Assert.Contains(kind, covered));
    }

    [Fact]
    public void Reasons_WithTheSameKindAndFields_AreEqual()
    {
        Assert.Equal(DecisionReason.Capped("normal"), DecisionReason.Capped("normal"));
        Assert.Equal(DecisionReason.Split(2, 3), DecisionReason.Split(2, 3));
        Assert.NotEqual(DecisionReason.Exit("x"), DecisionReason.Goal("x"));
        Assert.NotEqual(DecisionReason.Event("x"), DecisionReason.Event("x", "true"));
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(3, 2)]
    [InlineData(1, 0)]
    public void Split_BranchOutsideTheSplit_IsRefused(int branch, int branches) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DecisionReason.Split(branch, branches));

    [Theory]
    [InlineData(0, "0m")]
    [InlineData(30, "30m")]
    [InlineData(120, "2h")]
    [InlineData(1440 * 14, "14d")]
    [InlineData(-1440 * 7, "-7d")]
    public void Durations_InReasons_AreWrittenAsTheLanguageFormatsThem(int minutes, string text)
    {
        var duration = TimeSpan.FromMinutes(minutes);

        Assert.Equal(text, Duration.Format(duration));
        Assert.Equal("after " + text, DecisionReason.Timer(duration).Text);
    }

    [Fact]
    public void Decision_ReasonText_IsItsTypedReasonsText()
    {
        var decision = new JourneyDecision
        {
            Timestamp = DateTimeOffset.UnixEpoch, CustomerId = "c1", JourneyId = "j", Version = 1, Step = "a", Kind = DecisionKind.Suppressed,
            Why = DecisionReason.Capped("normal"),
        };

        Assert.Equal("cap:normal", decision.Reason);
        Assert.Null((decision with { Why = null }).Reason);
    }

    /// <summary>The fields a reason sets, besides its kind and text, as <c>Name=value</c> in declaration order.</summary>
    private static string Fields(DecisionReason r) => string.Join(" ", new (string Name, object? Value)[]
    {
        ("EventType", r.EventType), ("Expression", r.Expression), ("Duration", r.Duration), ("Trait", r.Trait),
        ("Branch", r.Branch == 0 ? null : r.Branch), ("Branches", r.Branches == 0 ? null : r.Branches), ("Cap", r.Cap),
        ("Template", r.Template), ("Rule", r.Rule), ("Version", r.Version), ("Step", r.Step), ("Message", r.Message), ("MaxCases", r.MaxCases),
        ("Traits", r.Traits is null ? null : string.Join(",", r.Traits)),
        ("Occurrence", r.Occurrence),
    }.Where(f => f.Value is not null).Select(f => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{f.Name}={f.Value}")));
}
