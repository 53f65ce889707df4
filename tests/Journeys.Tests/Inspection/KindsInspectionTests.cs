using Journeys.Delivery;
using Journeys.Inspection;
using Journeys.Language.Definitions;
using Journeys.Language.Graph;
using Journeys.Language.Loading;

namespace Journeys.Tests.Inspection;

/// <summary>Every entry kind and every transition kind shows in the inspection model with its own fields, and each
/// transition's label is the one <c>journeys graph</c> draws on its edge.</summary>
public sealed class KindsInspectionTests
{
    private const string Kinds = """
        journey: kinds
        version: 2
        entry: { when: "customer.plan == 'gold'" }
        reentry: 90d
        versioning: migrate
        exit:
          - { on: unsubscribed, if: "event.reason == 'spam'" }
          - { on: unsubscribed }
        goal: { on: ordered, exit: false }
        start: wait
        steps:
          wait:
            then:
              - { on: clicked, if: "event.score > 5", goto: hot }
              - { on: clicked, goto: warm }
              - { on: opened, goto: wait }
              - { after: 2d, goto: branch }
          branch:
            then:
              - { if: "customer.vip == true", goto: hot }
              - { goto: ab }
          ab:
            then:
              - split: [ { weight: 2, goto: hot }, { weight: 1, goto: end } ]
          hot:
            send: { channel: email, template: hot, category: transactional, priority: 5 }
          warm:
            then:
              - { after: 12h, goto: end }
        """;

    private const string Inactive = """
        journey: winback
        version: 1
        entry: { inactive: { for: 90d, of: [login, order_completed] } }
        reentry: always
        start: s
        steps:
          s:
            send: { channel: email, template: winback }
        """;

    private const string Date = """
        journey: birthday
        version: 1
        entry: { date: { trait: birthday, every: year, offset: -7d, at: "09:00" } }
        start: s
        steps:
          s:
            send: { channel: email, template: birthday }
        """;

    private static readonly JourneyCatalog Catalog =
        JourneyLoader.LoadYaml(("a-kinds.yaml", Kinds), ("b-winback.yaml", Inactive), ("c-birthday.yaml", Date)).ThrowIfInvalid();

    private static JourneyInfo Journey(string id) => Assert.IsType<JourneyInfo>(Catalog.Find(id));

    private static TransitionInfo Transition(string step, int index) => Journey("kinds").FindStep(step)!.Transitions[index];

    [Fact]
    public void WhenEntry_HasItsConditionText()
    {
        var entry = Journey("kinds").Entry;

        Assert.Equal((EntryKind.When, "customer.plan == 'gold'", null, null), (entry.Kind, entry.Condition, entry.EventType, entry.Guard));
        Assert.Equal(("when customer.plan == 'gold'", "a-kinds.yaml:3:8"), (entry.Text, entry.Location.ToString()));
    }

    [Fact]
    public void InactiveEntry_HasItsDurationAndEvents()
    {
        var entry = Journey("winback").Entry;

        Assert.Equal((EntryKind.Inactive, TimeSpan.FromDays(90)), (entry.Kind, entry.InactiveFor));
        Assert.Equal(["login", "order_completed"], entry.InactiveOf);
        Assert.Equal("inactive 90d of login, order_completed", entry.Text);
    }

    [Fact]
    public void DateEntry_HasItsTraitRecurrenceOffsetAndTime()
    {
        var entry = Journey("birthday").Entry;

        Assert.Equal((EntryKind.Date, "birthday", true, TimeSpan.FromDays(-7), new TimeOnly(9, 0)), (entry.Kind, entry.Trait, entry.EveryYear, entry.Offset, entry.At));
        Assert.Equal("date birthday every year offset -7d at 09:00", entry.Text);
    }

    [Fact]
    public void Reentry_ShowsEachKindAsWritten()
    {
        Assert.Equal((ReentryKind.AfterGap, TimeSpan.FromDays(90), "90d"), (Journey("kinds").Reentry.Kind, Journey("kinds").Reentry.MinimumGap, Journey("kinds").Reentry.Text));
        Assert.Equal((ReentryKind.Always, "always"), (Journey("winback").Reentry.Kind, Journey("winback").Reentry.Text));
        Assert.Equal((ReentryKind.Never, "never"), (Journey("birthday").Reentry.Kind, Journey("birthday").Reentry.Text));
    }

    [Fact]
    public void VersioningExitsAndGoal_AreAsWritten()
    {
        var j = Journey("kinds");

        Assert.Equal(VersioningMode.Migrate, j.Versioning);
        Assert.Equal([("unsubscribed", "event.reason == 'spam'"), ("unsubscribed", null)], j.Exits.Select(e => (e.EventType, e.Guard)));
        Assert.Equal(("ordered", null, null, false), (j.Goal!.EventType, j.Goal.Guard, j.Goal.Within, j.Goal.Exit));
    }

    [Fact]
    public void OnTransitions_HaveEventGuardTargetAndFirstMatchLabels()
    {
        Assert.Equal((TransitionKind.On, "clicked", "event.score > 5", "hot", "on clicked [event.score > 5]"),
            (Transition("wait", 0).Kind, Transition("wait", 0).EventType, Transition("wait", 0).Guard, Transition("wait", 0).Target, Transition("wait", 0).Label));
        Assert.Equal((null, "warm", "on clicked [otherwise]"), (Transition("wait", 1).Guard, Transition("wait", 1).Target, Transition("wait", 1).Label));
        Assert.Equal(("opened", "wait", "on opened"), (Transition("wait", 2).EventType, Transition("wait", 2).Target, Transition("wait", 2).Label));
        Assert.Equal("a-kinds.yaml:14:9", Transition("wait", 0).Location.ToString());
    }

    [Fact]
    public void AfterIfAndGotoTransitions_HaveTheirFields()
    {
        Assert.Equal((TransitionKind.After, TimeSpan.FromDays(2), "branch", "after 2d"), (Transition("wait", 3).Kind, Transition("wait", 3).After, Transition("wait", 3).Target, Transition("wait", 3).Label));
        Assert.Equal((TransitionKind.If, "customer.vip == true", "hot", "if [customer.vip == true]"), (Transition("branch", 0).Kind, Transition("branch", 0).Condition, Transition("branch", 0).Target, Transition("branch", 0).Label));
        Assert.Equal((TransitionKind.Goto, "ab", "always"), (Transition("branch", 1).Kind, Transition("branch", 1).Target, Transition("branch", 1).Label));
        Assert.Equal((TransitionKind.After, TimeSpan.FromHours(12), TransitionInfo.End), (Transition("warm", 0).Kind, Transition("warm", 0).After, Transition("warm", 0).Target));
    }

    [Fact]
    public void SplitTransition_HasBranchesWithWeightsSharesAndLabels()
    {
        var split = Transition("ab", 0);

        Assert.Equal((TransitionKind.Split, null, "split"), (split.Kind, split.Target, split.Label));
        Assert.Equal(
            [(2.0, "hot", "66.67%", "split [66.67%]"), (1.0, "end", "33.33%", "split [33.33%]")],
            split.Branches.Select(b => (b.Weight, b.Target, b.Share, b.Label)));
        Assert.Equal(["hot", "end"], split.Targets);
        Assert.Equal(["a-kinds.yaml:24:18", "a-kinds.yaml:24:44"], split.Branches.Select(b => b.Location.ToString()));
    }

    [Fact]
    public void Send_HasCategoryAndPriority()
    {
        var send = Assert.Single(Journey("kinds").FindStep("hot")!.Sends);

        Assert.Equal(("email", "hot", MessageCategory.Transactional, 5), (send.Channel, send.Template, send.Category, send.Priority));
    }

    /// <summary>Each label is the one the diagram draws: every transition (every split branch) is an edge of the Mermaid
    /// text from its step to its target, with that label (a step's move to itself is drawn as such).</summary>
    [Fact]
    public void Labels_AreTheEdgesJourneysGraphDraws()
    {
        foreach (var journey in Catalog.Journeys)
        {
            var edges = JourneyGraph.ToMermaid(journey).Split('\n');
            foreach (var step in journey.Steps)
            {
                var drawn = step.Transitions.SelectMany(t => t.Kind == TransitionKind.Split
                    ? t.Branches.Select(b => (b.Target, b.Label))
                    : [(t.Target!, t.Label)]);
                foreach (var (target, label) in drawn)
                {
                    var to = target == TransitionInfo.End ? "completed" : target;
                    Assert.Contains($"\t{step.Name} --> {to} : {label}", edges);
                }
            }
        }
    }
}
