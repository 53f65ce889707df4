using Journeys.Delivery;
using Journeys.Inspection;
using Journeys.Language.Definitions;
using Journeys.Language.Loading;
using Journeys.Tests.Support;

namespace Journeys.Tests.Inspection;

/// <summary>The inspection model (<c>catalog.Journeys</c>, <c>catalog.Policy</c>) of the spec's journey and policy shows
/// every field as written, with the place each was written (<c>file:line:column</c>).</summary>
public sealed class SpecInspectionTests
{
    private static readonly JourneyCatalog Catalog =
        JourneyLoader.LoadYaml(("journey.yaml", SpecDocument.Journey), ("policy.yaml", SpecDocument.Policy)).ThrowIfInvalid();

    private static JourneyInfo Journey => Assert.Single(Catalog.Journeys);

    private static PolicyInfo Policy => Catalog.Policy;

    /// <summary>Where <paramref name="needle"/>'s first non-blank character is in the spec's <paramref name="file"/> (its <paramref name="occurrence"/>-th
    /// appearance), as <c>file:line:column</c>.</summary>
    private static string At(string needle, int occurrence = 1, string file = "journey.yaml")
    {
        var text = (file == "policy.yaml" ? SpecDocument.Policy : SpecDocument.Journey).Replace("\r\n", "\n", StringComparison.Ordinal);
        var index = -1;
        for (var i = 0; i < occurrence; i++)
        {
            index = text.IndexOf(needle, index + 1, StringComparison.Ordinal);
            Assert.True(index >= 0, $"'{needle}' ({occurrence}) is not in the spec's {file}");
        }

        index += needle.Length - needle.TrimStart().Length; // a needle may start with indentation to be unique

        var lineStart = text.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;
        var line = 1 + text.AsSpan(0, index).Count('\n');
        return $"{file}:{line}:{index - lineStart + 1}";
    }

    private static string InPolicy(string needle, int occurrence = 1) => At(needle, occurrence, "policy.yaml");

    [Fact]
    public void Journey_Header_IsAsWritten()
    {
        var j = Journey;

        Assert.Equal(("new-customer-nurture", 1, "New customers, months 0-3 - guide, check-ins, survey."), (j.Id, j.Version, j.Description));
        Assert.Equal((VersioningMode.Finish, "guide"), (j.Versioning, j.Start));
        Assert.Equal(At("journey:"), j.Location.ToString());
        Assert.Equal("new-customer-nurture v1", j.ToString());
    }

    [Fact]
    public void Journey_Entry_IsAnOnEntryWithItsGuardTextAndPlace()
    {
        var entry = Journey.Entry;

        Assert.Equal((EntryKind.On, "signed_up", "customer.country != 'test'"), (entry.Kind, entry.EventType, entry.Guard));
        Assert.Equal("on signed_up if customer.country != 'test'", entry.Text);
        Assert.Equal(At("on: signed_up"), entry.Location.ToString());
        Assert.Null(entry.Condition);
        Assert.Empty(entry.InactiveOf);
    }

    [Fact]
    public void Journey_ReentryExitsAndGoal_AreAsWritten()
    {
        var j = Journey;

        Assert.Equal((ReentryKind.Never, TimeSpan.Zero, "never"), (j.Reentry.Kind, j.Reentry.MinimumGap, j.Reentry.Text));
        Assert.Equal(["unsubscribed", "account_closed"], j.Exits.Select(e => e.EventType));
        Assert.All(j.Exits, e => Assert.Null(e.Guard));
        Assert.Equal([At("on: unsubscribed"), At("on: account_closed")], j.Exits.Select(e => e.Location.ToString()));
        var goal = Assert.IsType<GoalInfo>(j.Goal);
        Assert.Equal(("order_completed", null, TimeSpan.FromDays(60), true), (goal.EventType, goal.Guard, goal.Within, goal.Exit));
        Assert.Equal(At("on: order_completed"), goal.Location.ToString());
    }

    [Fact]
    public void Journey_Steps_AreInWrittenOrderWithTheirPlaces()
    {
        var steps = Journey.Steps;

        Assert.Equal(["guide", "consult", "tips", "reminder", "survey"], steps.Select(s => s.Name));
        Assert.Equal(steps.Select(s => At($"\n  {s.Name}:")), steps.Select(s => s.Location.ToString()));
        Assert.Same(steps[2], Journey.FindStep("tips"));
        Assert.Null(Journey.FindStep("nowhere"));
    }

    [Fact]
    public void Journey_Sends_AreAsWritten()
    {
        var sends = Journey.Steps.SelectMany(s => s.Sends.Select(send => (Step: s.Name, send.Channel, send.Template, send.Category, send.Priority)));

        Assert.Equal(
        [
            ("guide", "push", "nurture/guide", MessageCategory.Marketing, 0),
            ("consult", "agent-task", "nurture/consult-call", MessageCategory.Marketing, 0),
            ("reminder", "sms", "nurture/reminder", MessageCategory.Marketing, 0),
            ("survey", "email", "nurture/survey", MessageCategory.Marketing, 0),
        ], sends);
        Assert.Equal(At("channel: push"), Journey.Steps[0].Sends[0].Location.ToString());
    }

    [Fact]
    public void Journey_Transitions_AreInWrittenOrderWithKindFieldsLabelAndPlace()
    {
        var rows = Journey.Steps.SelectMany(s => s.Transitions.Select(t => (s.Name, t.Kind, t.EventType, t.Condition, t.After, t.Target, t.Label)));

        Assert.Equal(
        [
            ("guide", TransitionKind.After, null, null, TimeSpan.FromDays(7), "consult", "after 7d"),
            ("consult", TransitionKind.On, "consult_completed", null, null, "tips", "on consult_completed"),
            ("consult", TransitionKind.After, null, null, TimeSpan.FromDays(21), "tips", "after 21d"),
            ("tips", TransitionKind.If, null, "count('app_open', 14) == 0", null, "reminder", "if [count('app_open', 14) == 0]"),
            ("tips", TransitionKind.After, null, null, TimeSpan.FromDays(30), "survey", "after 30d"),
            ("reminder", TransitionKind.After, null, null, TimeSpan.FromDays(30), "survey", "after 30d"),
        ], rows);
        Assert.Equal(
            [At("after: 7d"), At("on: consult_completed"), At("after: 21d"), At("if: \"count"), At("after: 30d"), At("after: 30d", 2)],
            Journey.Steps.SelectMany(s => s.Transitions).Select(t => t.Location.ToString()));
        Assert.Empty(Journey.FindStep("survey")!.Transitions);
    }

    [Fact]
    public void Policy_Tiers_HaveTheirConditionTextAndPlace()
    {
        var tiers = Policy.Tiers;

        Assert.Equal(
            [("high-value", "customer.spend12m >= 5000 || count('order_completed', 180) >= 6"), ("normal", "true")],
            tiers.Select(t => (t.Name, t.Condition)));
        Assert.Equal([InPolicy("high-value:"), InPolicy("normal:")], tiers.Select(t => t.Location.ToString()));
        Assert.Equal("default", TierInfo.Default);
    }

    [Fact]
    public void Policy_Caps_AreAsWrittenWithTheirReasonNames()
    {
        var caps = Policy.Caps;

        Assert.Equal(
        [
            ("high-value", null, null, 3, TimeSpan.FromDays(7), "high-value"),
            ("normal", null, null, 1, TimeSpan.FromDays(7), "normal"),
            (null, "sms", null, 2, TimeSpan.FromDays(30), "sms"),
        ], caps.Select(c => (c.Tier, c.Channel, c.Journey, c.Max, c.Per, c.Name)));
        Assert.Equal([InPolicy("{ tier: high-value"), InPolicy("{ tier: normal"), InPolicy("{ channel: sms")], caps.Select(c => c.Location.ToString()));
    }

    [Fact]
    public void Policy_QuietHoursAndCappedSends_AreAsWritten()
    {
        var quiet = Assert.IsType<QuietHoursInfo>(Policy.QuietHours);

        Assert.Equal((new TimeOnly(21, 0), new TimeOnly(8, 0)), (quiet.From, quiet.To));
        Assert.Equal(InPolicy("{ from:"), quiet.Location.ToString());
        Assert.Equal((CappedAction.Skip, TimeSpan.FromDays(7)), (Policy.WhenCapped, Policy.DeferFor));
        Assert.Equal(InPolicy("policy:"), Policy.Location.ToString());
    }

    [Fact]
    public void Catalog_BuildsTheModelOnce()
    {
        Assert.Same(Catalog.Journeys, Catalog.Journeys);
        Assert.Same(Catalog.Policy, Catalog.Policy);
        Assert.Same(Journey, Catalog.Find("new-customer-nurture"));
    }
}
