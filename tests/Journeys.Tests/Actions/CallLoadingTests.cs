using Journeys.Delivery;
using Journeys.Diagnostics;
using Journeys.Engine;
using Journeys.Tests.Support;

namespace Journeys.Tests.Actions;

/// <summary>A step's <c>call:</c> as the loader reads it: the action's name and its <c>with:</c> expressions (which may
/// read <c>entry.*</c>), transitions on <c>$done</c> (whose <c>if:</c> may read <c>result.*</c>) and <c>$failed</c>; every
/// misuse an error at file:line:column with a hint; an action no host registered refused when the engine is built.</summary>
public sealed class CallLoadingTests
{
    [Fact]
    public void Call_TheSpecsExample_LoadsAndIsInspectable()
    {
        var catalog = Diagnose.Load(CallJourneys.BoostWithFallback);

        Diagnose.NoErrors(catalog);
        var step = catalog.Journeys.Single().Steps.Single(s => s.Name == "credit");
        Assert.Equal("loyalty-credit", step.Call!.Action);
        Assert.Equal([new("points", "200"), new("order", "entry.orderId")], step.Call.With);
        Assert.Equal("j.yaml:6:11", step.Call.Location.ToString());
        Assert.Equal(["on $done [result.status == 'ok']", "on $failed", "after 1d"], step.Transitions.Select(t => t.Label));
    }

    /// <summary>The spec's inline examples of <c>call:</c> (in its "Actions on a step" bullets), read from the spec
    /// itself, completed into one step: they load with no diagnostic.</summary>
    [Fact]
    public void SpecsInlineCallExamples_CompletedIntoAStep_LoadWithoutDiagnostics()
    {
        Assert.True(SpecDocument.FilePath is not null, "the spec is not beside the repository");
        var spec = File.ReadAllText(SpecDocument.FilePath!);
        string[] examples =
        [
            "call: { action: loyalty-credit, with: { points: \"200\", order: \"entry.orderId\" } }",
            "{ on: $done, if:\n  \"result.status == 'ok'\", goto: thanks }",
            "{ on: $failed, goto: sms-fallback }",
        ];
        Assert.All(examples, e => Assert.Contains(e, spec!, StringComparison.Ordinal));

        var catalog = Diagnose.Load(string.Join("\n",
            "journey: boost",
            "entry: { on: order_completed }",
            "start: credit",
            "steps:",
            "  credit:",
            "    " + examples[0],
            "    then:",
            "      - " + examples[1].Replace("\n  ", " ", StringComparison.Ordinal),
            "      - " + examples[2],
            "  thanks:",
            "  sms-fallback:",
            ""));

        Assert.Empty(catalog.Diagnostics);
    }

    [Fact]
    public void Result_InAnArrivalBranchOfAStepWithoutCall_IsAnErrorAtTheNameWithAHint()
    {
        var catalog = Diagnose.Load("""
            journey: j
            entry: { on: e }
            start: a
            steps:
              a:
                then: [ { if: "result.status == 'ok'", goto: end } ]
            """);

        var d = Diagnose.Refused(catalog, DiagnosticCodes.UnknownName, "j.yaml:6:20");
        Assert.Contains("result.* is the answer of the step's call", d.Message);
        Assert.Contains("{ on: $done, if: ..., goto: ... }", d.Message);
    }

    [Fact]
    public void Result_InAnotherEventsTransitionOfACallingStep_IsAnError()
    {
        var catalog = Diagnose.Load("""
            journey: j
            entry: { on: e }
            start: a
            steps:
              a:
                call: { action: crm }
                then: [ { on: clicked, if: "result.ok", goto: end } ]
            """);

        Diagnose.Refused(catalog, DiagnosticCodes.UnknownName, "j.yaml:7:33");
    }

    [Theory]
    [InlineData("entry: { on: $done }\nexit: [ { on: stop } ]\ngoal: { on: order }", "j.yaml:2:14", "$done")]
    [InlineData("entry: { on: go }\nexit: [ { on: $failed } ]\ngoal: { on: order }", "j.yaml:3:15", "$failed")]
    [InlineData("entry: { on: go }\nexit: [ { on: stop } ]\ngoal: { on: $done }", "j.yaml:4:13", "$done")]
    public void DollarEvent_AsEntryExitOrGoal_IsAnErrorAtItsName(string rules, string at, string name)
    {
        var catalog = Diagnose.Load("journey: j\n" + rules + "\nstart: a\nsteps:\n  a:\n    send: { channel: push, template: t }\n");

        var d = Diagnose.Refused(catalog, DiagnosticCodes.InvalidValue, at);
        Assert.StartsWith($"'{name}' is reserved: names starting with '$' ($done, $failed) answer a step's call or send", d.Message);
    }

    [Fact]
    public void Done_InAStepWithoutCall_IsAnErrorNamingTheStep()
    {
        var catalog = Diagnose.Load("""
            journey: j
            entry: { on: e }
            start: a
            steps:
              a:
                send: { channel: push, template: t }
                then: [ { on: $done, goto: end } ]
            """);

        var d = Diagnose.Refused(catalog, DiagnosticCodes.InvalidValue, "j.yaml:7:13");
        Assert.Contains("step 'a' has no 'call'", d.Message);
    }

    [Fact]
    public void Failed_InAStepWithASend_LoadsAndInAStepWithNeitherSendNorCall_IsAnError()
    {
        Diagnose.NoErrors(Diagnose.Load("""
            journey: j
            entry: { on: e }
            start: a
            steps:
              a:
                send: { channel: push, template: t }
                then: [ { on: $failed, goto: b }, { after: 1d, goto: end } ]
              b:
                send: { channel: sms, template: t }
            """));

        var catalog = Diagnose.Load("""
            journey: j
            entry: { on: e }
            start: a
            steps:
              a:
                then: [ { on: $failed, goto: end } ]
            """);
        var d = Diagnose.Refused(catalog, DiagnosticCodes.InvalidValue, "j.yaml:6:13");
        Assert.Contains("neither a 'call' nor a 'send'", d.Message);
    }

    [Fact]
    public void DollarEventThatIsNotTheEngines_IsAnErrorWithDidYouMean()
    {
        var catalog = Diagnose.Load("""
            journey: j
            entry: { on: e }
            start: a
            steps:
              a:
                call: { action: crm }
                then: [ { on: $dne, goto: end } ]
            """);

        var d = Diagnose.Refused(catalog, DiagnosticCodes.InvalidValue, "j.yaml:7:13");
        Assert.Contains("did you mean '$done'", d.Message);
    }

    [Fact]
    public void With_ReadingEventOrAnUnknownKey_IsAnErrorAtItsPlace()
    {
        var catalog = Diagnose.Load("""
            journey: j
            entry: { on: e }
            start: a
            steps:
              a:
                call: { action: crm, with: { n: "event.x" }, retry: 3 }
            """);

        Diagnose.Has(catalog, Diagnose.Error, DiagnosticCodes.UnknownName, "j.yaml:6:38");
        Diagnose.Has(catalog, Diagnose.Error, DiagnosticCodes.UnknownKey, "j.yaml:6:50");
    }

    [Fact]
    public void Call_WithoutAction_IsAnErrorSayingWhatToWrite()
    {
        var catalog = Diagnose.Load("""
            journey: j
            entry: { on: e }
            start: a
            steps:
              a:
                call: { with: { n: "1" } }
            """);

        var d = Diagnose.Refused(catalog, DiagnosticCodes.MissingKey, "j.yaml:6:11");
        Assert.Contains("loyalty-credit", d.Message);
    }

    [Fact]
    public void ArrivalBranchOfACallingStep_IsWarnedAsNeverFiring()
    {
        var catalog = Diagnose.Load("""
            journey: j
            entry: { on: e }
            start: a
            steps:
              a:
                call: { action: crm }
                then: [ { goto: end } ]
            """);

        var d = Diagnose.Has(catalog, Diagnose.Warning, DiagnosticCodes.DeadStep, "j.yaml:7:13");
        Assert.Contains("waits for the answer", d.Message);
    }

    [Fact]
    public void Build_CallingAnActionNoOneRegistered_FailsNamingIt()
    {
        var catalog = Diagnose.Load(CallJourneys.BoostWithFallback);

        var ex = Assert.Throws<InvalidOperationException>(() => new JourneyEngineBuilder().UseCatalog(catalog)
            .AddChannel(new RecordingChannel()).AddAction(new FixedAction("crm")).Build());

        Assert.Contains("AddAction: journeys call action 'loyalty-credit', but no action of that name is registered.", ex.Message);
    }

    [Fact]
    public void Build_TwoActionsOfOneName_Fails()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new JourneyEngineBuilder().UseCatalog(Diagnose.Load(CallJourneys.BoostWithFallback))
            .AddChannel(new RecordingChannel()).AddAction(new FixedAction("loyalty-credit")).AddAction(new FixedAction("loyalty-credit")).Build());

        Assert.Contains("AddAction: two actions are named 'loyalty-credit'.", ex.Message);
    }
}
