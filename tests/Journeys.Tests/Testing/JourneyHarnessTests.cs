using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Diagnostics;
using Journeys.State;
using Journeys.Testing;
using Journeys.Tests.Support;

namespace Journeys.Tests.Testing;

/// <summary>The harness third parties run their journeys with: virtual time from a folder or YAML strings, the decisions
/// and the sent messages readable as soon as a call returns.</summary>
public sealed class JourneyHarnessTests
{
    private static readonly DateTimeOffset T0 = JourneyHarness.DefaultStart;

    [Fact]
    public async Task FromYaml_EventThenSevenDays_DecisionsAndSentMessagesAtTheirVirtualTimes()
    {
        await using var harness = JourneyHarness.FromYaml(("nurture.yaml", TestJourneys.Nurture));

        await harness.PublishAsync("c1", "signed_up");
        Assert.Equal(["nurture/guide"], harness.Sent.Select(m => m.Template));

        await harness.AdvanceAsync(TimeSpan.FromDays(7));

        Assert.Equal(
        [
            (DecisionKind.Entered, "guide", T0),
            (DecisionKind.Sent, "guide", T0),
            (DecisionKind.Moved, "consult", T0.AddDays(7)),
            (DecisionKind.Sent, "consult", T0.AddDays(7)),
            (DecisionKind.Completed, "consult", T0.AddDays(7)),
        ], harness.Decisions.Select(d => (d.Kind, d.Step, d.Timestamp)));
        Assert.Equal([("c1", "push", "nurture/guide", T0), ("c1", "push", "nurture/consult", T0.AddDays(7))],
            harness.Sent.Select(m => (m.CustomerId, m.Channel, m.Template, m.Timestamp)));
        Assert.Empty(harness.Errors);
    }

    [Fact]
    public async Task AdvanceAsync_PastATimerMonthsAway_FiresItAtItsOwnTime()
    {
        await using var harness = JourneyHarness.FromYaml(("slow.yaml", Runtime.SpecJourneys.MonthsAwayTimer));
        await harness.PublishAsync("c1", "joined");

        await harness.AdvanceAsync(TimeSpan.FromDays(200));

        var moved = Assert.Single(harness.Decisions, d => d.Kind == DecisionKind.Moved);
        Assert.Equal(("later", T0.AddDays(120)), (moved.Step, moved.Timestamp));
        Assert.Equal(T0.AddDays(200), harness.Now);
    }

    [Fact]
    public async Task FromFolder_TheSampleJourneys_LoadAndRunWithTheStartAndPartitionsGiven()
    {
        var start = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        await using var harness = JourneyHarness.FromFolder(Path.Combine(AppContext.BaseDirectory, "samples", "journeys"),
            new JourneyHarnessOptions
            {
                Start = start,
                Partitions = 2,
                // value boost calls loyalty-credit: answered as samples/actions.json says, in one line
                ConfigureEngine = b => b.AddActions(ActionAnswers.ReadFile(Path.Combine(AppContext.BaseDirectory, "samples", "actions.json"))),
            });

        await harness.IdentifyAsync(new CustomerProfile("c1", new Dictionary<string, object?> { ["plan"] = "pro" }, "Asia/Shanghai"));
        await harness.PublishAsync("c1", "signed_up");

        Assert.Equal(2, harness.Engine.PartitionCount);
        Assert.Contains(harness.Decisions, d => d is { CustomerId: "c1", Kind: DecisionKind.Entered } && d.Timestamp == start);
    }

    [Fact]
    public async Task PublishAsync_AStepThatCalls_ReturnsOnceTheAnswerMovedTheRunAndItsSendWasDelivered()
    {
        await using var harness = JourneyHarness.FromYaml(
            new JourneyHarnessOptions { ConfigureEngine = b => b.AddActions(ActionAnswers.Parse("""{"crm": {"result": {"ticket": "T-1"}}}""")) },
            ("ask.yaml", """
                journey: ask
                entry: { on: asked }
                start: open
                steps:
                  open:
                    call: { action: crm }
                    then: [ { on: $done, if: "result.ticket == 'T-1'", goto: thanks } ]
                  thanks:
                    send: { channel: push, template: t }
                """));

        await harness.PublishAsync("c1", "asked");

        Assert.Contains(harness.Decisions, d => d is { Kind: DecisionKind.Called, Step: "open" });
        Assert.Contains(harness.Decisions, d => d is { Kind: DecisionKind.Moved, Step: "thanks" });
        Assert.Equal("thanks", Assert.Single(harness.Sent).Step);
    }

    [Fact]
    public async Task FromYaml_AJourneyAndAPolicyAsText_RunAsDocsTestingShows()
    {
        await using var harness = JourneyHarness.FromYaml(
            ("winback.yaml", """
                journey: winback
                entry: { inactive: { for: 30d, of: [login] } }
                start: offer
                steps:
                  offer:
                    send: { channel: push, template: winback/offer }
                """),
            ("policy.yaml", "policy:\n  quietHours: { from: \"21:00\", to: \"08:00\" }\n"));
        await harness.PublishAsync("c1", "login");

        await harness.AdvanceToAsync(T0.AddDays(31));

        var entered = Assert.Single(harness.Decisions, d => d.Kind == DecisionKind.Entered);
        Assert.Equal(("winback", T0.AddDays(30)), (entered.JourneyId, entered.Timestamp));
        Assert.Equal(["winback/offer"], harness.Sent.Select(m => m.Template));
    }

    [Fact]
    public async Task AdvanceToAsync_AnInstantInThePast_Throws()
    {
        await using var harness = JourneyHarness.FromYaml(("nurture.yaml", TestJourneys.Nurture));
        await harness.AdvanceAsync(TimeSpan.FromHours(1));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => harness.AdvanceToAsync(T0));
    }

    [Fact]
    public void FromYaml_DefinitionsWithErrors_ThrowsListingThem()
    {
        var error = Assert.Throws<JourneyLoadException>(() => JourneyHarness.FromYaml(("broken.yaml", "journey: broken\nstart: nowhere\n")));

        Assert.Contains(error.Diagnostics, d => d.Location.File == "broken.yaml" && d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public async Task ConfigureEngine_AChannelOfYourOwn_ServesItsNameWhileTheRecordingChannelServesTheRest()
    {
        var push = new RecordingChannel("push");
        await using var harness = JourneyHarness.FromYaml(new JourneyHarnessOptions { ConfigureEngine = b => b.AddChannel(push) },
            ("nurture.yaml", TestJourneys.Nurture), ("other.yaml", TestJourneys.Nurture.Replace("nurture", "other", StringComparison.Ordinal)
                .Replace("channel: push, template: other/guide", "channel: email, template: other/guide", StringComparison.Ordinal)));

        await harness.PublishAsync("c1", "signed_up");

        Assert.Equal(["nurture/guide"], push.Messages.Select(m => m.Template));
        Assert.Equal(["other/guide"], harness.Sent.Select(m => m.Template));
    }
}
