using System.Globalization;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.Tests.Runtime;
using Journeys.Tests.Support;
using static Journeys.Tests.Runtime.Sim;

namespace Journeys.Tests.Actions;

/// <summary>A step's <c>call:</c> in a run (the simulator: answered at the instant of the call): the action gets the
/// evaluated <c>with:</c> and a stable key, the answer is <c>called</c> (the action in the channel field) and moves the
/// run along its first <c>$done</c> whose guard over <c>result.*</c> holds; a call or a send that gave up is
/// <c>failed</c> and moves it along <c>$failed</c>; a calling step takes no arrival branch but keeps its timers.</summary>
public sealed class CallActionTests
{
    private const string Boost = """
        journey: boost
        entry: { on: order_completed }
        start: credit
        steps:
          credit:
            call: { action: loyalty-credit, with: { points: "customer.points * 2", order: "entry.orderId", tags: "customer.tags" } }
            then:
              - { on: $done, if: "result.status == 'ok' && result.credited > 100", goto: thanks }
              - { on: $failed, goto: sms-fallback }
              - { after: 1d, goto: end }
          thanks:
            send: { channel: push, template: boost/thanks }
          sms-fallback:
            send: { channel: sms, template: boost/sorry }
        """;

    private static Script Order() => new Script()
        .Identify("c1", T, traits: [("points", 100), ("tags", new[] { "vip" })])
        .Track("c1", "order_completed", T.AddHours(1), ("orderId", "o-7"));

    private static List<string> RunWith(string journey, Script script, DateTimeOffset until, IChannel? channel = null, params IJourneyAction[] actions) =>
        Lines(new Simulator(Load(journey), channel, actions).Run(script.Inputs, until));

    [Fact]
    public void Call_AnsweredOk_IsCalledWithTheAnswerAndMovesAlongDone()
    {
        var action = new FixedAction("loyalty-credit", FixedAction.Done("""{"status":"ok","credited":200}"""));

        var lines = RunWith(Boost, Order(), T.AddDays(2), null, action);

        Assert.Equal(
        [
            "2026-01-05T11:00:00Z c1 entered credit (on order_completed)",
            "2026-01-05T11:00:00Z c1 called credit loyalty-credit: (call loyalty-credit: {\"status\":\"ok\",\"credited\":200})",
            "2026-01-05T11:00:00Z c1 moved thanks from credit (on $done if result.status == 'ok' && result.credited > 100)",
            "2026-01-05T11:00:00Z c1 sent thanks push:boost/thanks",
            "2026-01-05T11:00:00Z c1 completed thanks",
        ], lines);
        var request = Assert.Single(action.Requests);
        Assert.Equal(("loyalty-credit", "c1", "boost", 1, "credit", "boost:1:c1:1:credit:call"),
            (request.Action, request.CustomerId, request.JourneyId, request.JourneyVersion, request.Step, request.IdempotencyKey));
        Assert.Equal(200.0, request.Arguments["points"]);
        Assert.Equal("o-7", request.Arguments["order"]);
        Assert.Equal(["vip"], Assert.IsAssignableFrom<IEnumerable<object?>>(request.Arguments["tags"]));
    }

    [Fact]
    public void Call_AnsweredButNoDoneGuardHolds_WaitsForTheStepsTimer()
    {
        var action = new FixedAction("loyalty-credit", FixedAction.Done("""{"status":"ok","credited":50}"""));

        var lines = RunWith(Boost, Order(), T.AddDays(2), null, action);

        Assert.Equal(
        [
            "2026-01-05T11:00:00Z c1 entered credit (on order_completed)",
            "2026-01-05T11:00:00Z c1 called credit loyalty-credit: (call loyalty-credit: {\"status\":\"ok\",\"credited\":50})",
            "2026-01-06T11:00:00Z c1 completed credit (after 1d)",
        ], lines);
    }

    [Fact]
    public void Call_GivenUp_IsFailedWithTheActionAndMovesAlongFailed()
    {
        var action = new FixedAction("loyalty-credit", ActionResult.Permanent("account closed"));

        var lines = RunWith(Boost, Order(), T.AddDays(2), null, action);

        Assert.Equal(
        [
            "2026-01-05T11:00:00Z c1 entered credit (on order_completed)",
            "2026-01-05T11:00:00Z c1 failed credit loyalty-credit: (account closed)",
            "2026-01-05T11:00:00Z c1 moved sms-fallback from credit (on $failed)",
            "2026-01-05T11:00:00Z c1 sent sms-fallback sms:boost/sorry",
            "2026-01-05T11:00:00Z c1 completed sms-fallback",
        ], lines);
    }

    [Fact]
    public void Call_AnsweredOverTheSizeLimit_IsFailedForGoodAndMovesAlongFailed()
    {
        var big = new string('x', 64 * 1024);
        var answer = $$"""{"status":"ok","credited":200,"log":"{{big}}"}""";
        var action = new FixedAction("loyalty-credit", FixedAction.Done(answer));

        var lines = RunWith(Boost, Order(), T.AddDays(2), null, action);

        Assert.Equal(
        [
            "2026-01-05T11:00:00Z c1 entered credit (on order_completed)",
            $"2026-01-05T11:00:00Z c1 failed credit loyalty-credit: (the action answered {answer.Length.ToString("N0", CultureInfo.InvariantCulture)} bytes of JSON, over the limit of 65,536)",
            "2026-01-05T11:00:00Z c1 moved sms-fallback from credit (on $failed)",
            "2026-01-05T11:00:00Z c1 sent sms-fallback sms:boost/sorry",
            "2026-01-05T11:00:00Z c1 completed sms-fallback",
        ], lines);
        Assert.Single(action.Requests); // a refusal for good: not asked again
    }

    [Fact]
    public void Call_AnsweredJustUnderTheSizeLimit_IsCalled()
    {
        var padding = new string('x', (64 * 1024) - """{"status":"ok","credited":200,"log":""}""".Length);
        var action = new FixedAction("loyalty-credit", FixedAction.Done($$"""{"status":"ok","credited":200,"log":"{{padding}}"}"""));

        var lines = RunWith(Boost, Order(), T.AddDays(2), null, action);

        Assert.Contains("2026-01-05T11:00:00Z c1 moved thanks from credit (on $done if result.status == 'ok' && result.credited > 100)", lines);
    }

    [Fact]
    public void Call_OfAnActionTheSimulationWasNotGiven_AnswersAnEmptyObject()
    {
        var lines = RunWith(Boost, Order(), T.AddDays(2));

        Assert.Contains("2026-01-05T11:00:00Z c1 called credit loyalty-credit: (call loyalty-credit: {})", lines);
        Assert.Contains("2026-01-06T11:00:00Z c1 completed credit (after 1d)", lines); // result.status is null: no $done holds
    }

    [Fact]
    public void Send_ThatGaveUp_MovesAlongFailedToAnotherChannel()
    {
        var lines = RunWith("""
            journey: fallback
            entry: { on: go }
            start: push
            steps:
              push:
                send: { channel: push, template: t }
                then: [ { on: $failed, goto: sms }, { after: 1d, goto: end } ]
              sms:
                send: { channel: sms, template: t }
            """, new Script().Track("c1", "go", T), T.AddDays(2), new RefusingChannel("push"));

        Assert.Equal(
        [
            "2026-01-05T10:00:00Z c1 entered push (on go)",
            "2026-01-05T10:00:00Z c1 sent push push:t",
            "2026-01-05T10:00:00Z c1 moved sms from push (on $failed)",
            "2026-01-05T10:00:00Z c1 sent sms sms:t",
            "2026-01-05T10:00:00Z c1 completed sms",
            "2026-01-05T10:00:00Z c1 failed push push:t (no device token)",
        ], lines);
    }

    [Fact]
    public void CallingStep_TakesNoArrivalBranch()
    {
        var lines = RunWith("""
            journey: j
            entry: { on: go }
            start: a
            steps:
              a:
                call: { action: crm }
                then: [ { on: $done, if: "result.n == 2", goto: b }, { goto: end } ]
              b:
            """, new Script().Track("c1", "go", T), T.AddDays(1), null, new FixedAction("crm", FixedAction.Done("""{"n":2}""")));

        Assert.Equal(
        [
            "2026-01-05T10:00:00Z c1 entered a (on go)",
            "2026-01-05T10:00:00Z c1 called a crm: (call crm: {\"n\":2})",
            "2026-01-05T10:00:00Z c1 moved b from a (on $done if result.n == 2)",
            "2026-01-05T10:00:00Z c1 completed b",
        ], lines);
    }

    [Fact]
    public void CallsAnsweredInALoopAtOneInstant_StopAfterEightWithFailed()
    {
        var lines = RunWith("""
            journey: j
            entry: { on: go }
            start: a
            steps:
              a:
                call: { action: crm }
                then: [ { on: $done, goto: b } ]
              b:
                call: { action: crm }
                then: [ { on: $done, goto: a } ]
            """, new Script().Track("c1", "go", T), T.AddDays(1));

        Assert.Equal(8, lines.Count(l => l.Contains(" called ", StringComparison.Ordinal)));
        Assert.EndsWith("failed a crm: (call-chain:crm: more than 8 calls answered at one instant)", lines[^1]);
    }

    [Fact]
    public void Result_FieldsOfEveryKind_ReadAsTheEnginesValues()
    {
        var lines = RunWith("""
            journey: j
            entry: { on: go }
            start: a
            steps:
              a:
                call: { action: crm }
                then: [ { on: $done, if: "result.t == 'x' && result.n == 1.5 && result.b && result.z == null && contains(result.l, 'q') && result.missing == null", goto: b } ]
              b:
            """, new Script().Track("c1", "go", T), T.AddDays(1), null,
            new FixedAction("crm", FixedAction.Done("""{"t":"x","n":1.5,"b":true,"z":null,"l":["p","q"],"o":{"k":1}}""")));

        Assert.Contains(lines, l => l.Contains("moved b from a", StringComparison.Ordinal));
    }

    /// <summary>Refuses every message of one channel for good; delivers the others.</summary>
    private sealed class RefusingChannel(string refused) : IChannel
    {
        public string Name => RecordingChannel.AnyName;

        public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken) =>
            ValueTask.FromResult(message.Channel == refused ? DeliveryResult.Permanent("no device token") : DeliveryResult.Delivered);
    }
}
