using Journeys.Delivery;
using Journeys.Language.Definitions;
using Journeys.Language.Loading;
using Journeys.State;
using Journeys.Tests.Support;

namespace Journeys.Tests.Loading;

/// <summary>journey-language.md: "every example here must load, validate and behave as described".</summary>
public sealed class SpecExamplesTests
{
    public static TheoryData<int> ExampleIndexes()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < SpecDocument.YamlBlocks.Count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    private static JourneyCatalog LoadSpec() =>
        JourneyLoader.LoadYaml(("journey.yaml", SpecDocument.Journey), ("policy.yaml", SpecDocument.Policy));

    private static JourneyDefinition Journey => LoadSpec().Definitions.Single();

    private static PolicyDefinition Policy => LoadSpec().PolicyDefinition;

    /// <summary>The v2 part's examples (cases, calendars, actions, schedules: issue #18) load with no error.</summary>
    [Fact]
    public void SpecV2Examples_LoadedAlone_HaveNoErrors()
    {
        var blocks = SpecDocument.V2YamlBlocks;

        Assert.True(blocks.Count >= 4, $"{blocks.Count} v2 examples"); // the spec's v2 part is there to test
        foreach (var block in blocks)
        {
            var text = Completed(block);
            Diagnose.NoErrors(JourneyLoader.LoadYaml((SpecDocument.FileNameOf(text), text)));
        }
    }

    /// <summary>The v2 part shows fragments: a journey's header, a step, an entry. Each is completed into the smallest
    /// journey around it, so what it shows is loaded as written.</summary>
    private static string Completed(string block)
    {
        const string Header = "journey: example\nversion: 1\n";
        const string Steps = "start: hello\nsteps:\n  hello:\n    send: { channel: email, template: example/hello }\n";
        return block switch
        {
            _ when block.StartsWith("policy:", StringComparison.Ordinal) => block,
            _ when block.StartsWith("journey:", StringComparison.Ordinal) => block.Contains("\nsteps:", StringComparison.Ordinal) ? block : block + Steps,
            _ when block.StartsWith("entry:", StringComparison.Ordinal) => Header + block + Steps,
            _ => Header + "entry: { on: joined }\nstart: " + block.TrimStart().Split(':')[0] + "\nsteps:\n" + block, // a step
        };
    }

    [Theory]
    [MemberData(nameof(ExampleIndexes))]
    public void SpecExample_LoadedAlone_HasNoDiagnostics(int index)
    {
        var block = SpecDocument.YamlBlocks[index];

        var catalog = JourneyLoader.LoadYaml((SpecDocument.FileNameOf(block), block));

        Diagnose.Clean(catalog);
    }

    [Fact]
    public void SpecExamples_LoadedTogether_GiveOneJourneyAndThePolicy()
    {
        var catalog = LoadSpec();

        Diagnose.Clean(catalog);
        Assert.Equal("new-customer-nurture", Assert.Single(catalog.Journeys).Id);
        Assert.Equal(2, catalog.Policy.Tiers.Count);
    }

    [Fact]
    public void SpecJourney_Header_HasIdVersionAndDescription()
    {
        var journey = Journey;

        Assert.Equal("new-customer-nurture", journey.Id);
        Assert.Equal(1, journey.Version);
        Assert.Equal("New customers, months 0-3 - guide, check-ins, survey.", journey.Description);
        Assert.Equal(VersioningMode.Finish, journey.Versioning);
    }

    [Fact]
    public void SpecJourney_Entry_IsOnSignedUpWithTheCountryGuard()
    {
        var entry = Assert.IsType<EventEntry>(Journey.Entry);

        Assert.Equal("signed_up", entry.EventType);
        Assert.Equal("customer.country != 'test'", entry.Guard!.Text);
        Assert.Equal("journey.yaml:7:8", entry.Guard.Location.ToString());
    }

    [Fact]
    public void SpecJourney_Reentry_IsNever()
    {
        Assert.Equal(ReentryPolicy.Never, Journey.Reentry);
    }

    [Fact]
    public void SpecJourney_Exits_AreUnsubscribedAndAccountClosedWithoutGuards()
    {
        var exits = Journey.Exits;

        Assert.Equal(["unsubscribed", "account_closed"], exits.Select(e => e.EventType));
        Assert.All(exits, e => Assert.Null(e.Guard));
    }

    [Fact]
    public void SpecJourney_Goal_IsOrderCompletedWithin60DaysAndExits()
    {
        var goal = Journey.Goal!;

        Assert.Equal("order_completed", goal.EventType);
        Assert.Null(goal.Guard);
        Assert.Equal(TimeSpan.FromDays(60), goal.Within);
        Assert.True(goal.Exit);
    }

    [Fact]
    public void SpecJourney_Steps_AreInWrittenOrderStartingAtGuide()
    {
        var journey = Journey;

        Assert.Equal("guide", journey.Start);
        Assert.Equal(["guide", "consult", "tips", "reminder", "survey"], journey.Steps.Select(s => s.Name));
    }

    [Fact]
    public void SpecJourney_Guide_SendsPushThenMovesToConsultAfter7Days()
    {
        var guide = Journey.FindStep("guide")!;

        var send = Assert.Single(guide.Sends);
        Assert.Equal(new SendDefinition("push", "nurture/guide", MessageCategory.Marketing, 0) { Location = send.Location }, send);
        var timer = Assert.IsType<TimerTransition>(Assert.Single(guide.Transitions));
        Assert.Equal(TimeSpan.FromDays(7), timer.After);
        Assert.Equal("consult", timer.Target);
    }

    [Fact]
    public void SpecJourney_Consult_WaitsForConsultCompletedElseMovesAfter21Days()
    {
        var consult = Journey.FindStep("consult")!;

        Assert.Equal(("agent-task", "nurture/consult-call"), (Assert.Single(consult.Sends).Channel, consult.Sends[0].Template));
        Assert.Collection(consult.Transitions,
            t =>
            {
                var on = Assert.IsType<EventTransition>(t);
                Assert.Equal(("consult_completed", "tips"), (on.EventType, on.Target));
                Assert.Null(on.Guard);
            },
            t =>
            {
                var after = Assert.IsType<TimerTransition>(t);
                Assert.Equal((TimeSpan.FromDays(21), "tips"), (after.After, after.Target));
            });
    }

    [Fact]
    public void SpecJourney_Tips_BranchesOnArrivalOnAppOpensThenWaits30Days()
    {
        var tips = Journey.FindStep("tips")!;

        Assert.Empty(tips.Sends);
        Assert.Collection(tips.Transitions,
            t =>
            {
                var branch = Assert.IsType<ConditionTransition>(t);
                Assert.Equal("count('app_open', 14) == 0", branch.Condition.Text);
                Assert.Equal("reminder", branch.Target);
            },
            t =>
            {
                var after = Assert.IsType<TimerTransition>(t);
                Assert.Equal((TimeSpan.FromDays(30), "survey"), (after.After, after.Target));
            });
    }

    [Fact]
    public void SpecJourney_Reminder_SendsSmsThenMovesToSurveyAfter30Days()
    {
        var reminder = Journey.FindStep("reminder")!;

        Assert.Equal(("sms", "nurture/reminder"), (Assert.Single(reminder.Sends).Channel, reminder.Sends[0].Template));
        var after = Assert.IsType<TimerTransition>(Assert.Single(reminder.Transitions));
        Assert.Equal((TimeSpan.FromDays(30), "survey"), (after.After, after.Target));
    }

    [Fact]
    public void SpecJourney_Survey_SendsEmailAndEndsTheJourney()
    {
        var survey = Journey.FindStep("survey")!;

        Assert.Equal(("email", "nurture/survey"), (Assert.Single(survey.Sends).Channel, survey.Sends[0].Template));
        Assert.Empty(survey.Transitions);
    }

    [Fact]
    public void SpecJourney_Activity_KeepsOnlyAppOpenCountsOver14Days()
    {
        var aggregate = Assert.Single(JourneyLoader.LoadYaml(("journey.yaml", SpecDocument.Journey)).Aggregates);

        Assert.Equal("app_open", aggregate.EventType);
        Assert.Equal([14.0], aggregate.CountWindowsDays);
        Assert.False(aggregate.LastSeen);
    }

    [Fact]
    public void SpecPolicy_Tiers_AreHighValueThenNormalInWrittenOrder()
    {
        var tiers = Policy.Tiers;

        Assert.Equal(["high-value", "normal"], tiers.Select(t => t.Name));
        Assert.Equal("customer.spend12m >= 5000 || count('order_completed', 180) >= 6", tiers[0].Condition.Text);
        Assert.Equal("true", tiers[1].Condition.Text);
    }

    [Theory]
    [InlineData(6000.0, 0, "high-value")]
    [InlineData(100.0, 6, "high-value")]
    [InlineData(4999.0, 5, "normal")]
    [InlineData(null, 0, "normal")]
    public void SpecPolicy_Tiers_FirstMatchingTierIsTheCustomers(double? spend12m, int ordersIn180Days, string tier)
    {
        var catalog = LoadSpec();
        var windows = catalog.Activity.Slots.Select(s => s.LongestWindow.Ticks).ToArray();
        var customer = new CustomerState("c1", 1);
        if (spend12m is { } spend)
        {
            customer.Traits["spend12m"] = Value.Number(spend);
        }

        Assert.True(catalog.Activity.TryGetSlot("order_completed", out var orders));
        for (var i = 0; i < ordersIn180Days; i++)
        {
            customer.Activity.Record(windows, orders, (ExpressionHarness.Now - TimeSpan.FromDays(10 + (i * 20))).UtcTicks);
        }

        var context = ExpressionHarness.Context(customer);

        Assert.Equal(tier, catalog.PolicyDefinition.Tiers.First(t => t.Condition.IsTrue(context)).Name);
    }

    [Fact]
    public void SpecPolicy_Caps_AreTwoTierCapsAndAnSmsCap()
    {
        Assert.Collection(Policy.Caps,
            c => Assert.Equal(("high-value", (string?)null, 3, TimeSpan.FromDays(7)), (c.Tier, c.Channel, c.Max, c.Per)),
            c => Assert.Equal(("normal", (string?)null, 1, TimeSpan.FromDays(7)), (c.Tier, c.Channel, c.Max, c.Per)),
            c => Assert.Equal(((string?)null, "sms", 2, TimeSpan.FromDays(30)), (c.Tier, c.Channel, c.Max, c.Per)));
        Assert.Equal(["high-value", "normal", "sms"], Policy.Caps.Select(c => c.Name));
    }

    [Fact]
    public void SpecPolicy_QuietHours_Are21To08SpanningMidnight()
    {
        var quiet = Policy.QuietHours!;

        Assert.Equal((new TimeOnly(21, 0), new TimeOnly(8, 0)), (quiet.From, quiet.To));
        Assert.True(quiet.Contains(new TimeOnly(23, 30)));
        Assert.True(quiet.Contains(new TimeOnly(7, 59)));
        Assert.False(quiet.Contains(new TimeOnly(8, 0)));
        Assert.False(quiet.Contains(new TimeOnly(20, 59)));
    }

    [Fact]
    public void SpecPolicy_WhenCapped_IsSkipWithTheDefault7DayDeferral()
    {
        Assert.Equal(CappedAction.Skip, Policy.WhenCapped);
        Assert.Equal(TimeSpan.FromDays(7), Policy.DeferFor);
    }
}
