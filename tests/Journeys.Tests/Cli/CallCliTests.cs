using Journeys.Language.Graph;
using Journeys.Tests.Runtime;
using Journeys.Tests.Support;

namespace Journeys.Tests.Cli;

/// <summary><c>simulate</c> and <c>explain</c> with <c>--actions FILE</c>: calls answered from the file (a result or a
/// failure per action; without the file every action answers <c>{}</c>), <c>called</c> in simulate's JSON with the action
/// in <c>channel</c>, explain telling what the action answered; a bad file is one line naming it (exit 2); a journey
/// calling an action the file does not list is an error at the action's name (exit 1). The diagrams draw the call and its
/// <c>$done</c> / <c>$failed</c> edges.</summary>
public sealed class CallCliTests : IDisposable
{
    private const string Boost = """
        journey: boost
        entry: { on: order_completed }
        start: credit
        steps:
          credit:
            call: { action: loyalty-credit, with: { points: "200" } }
            then:
              - { on: $done, if: "result.status == 'ok'", goto: thanks }
              - { on: $failed, goto: sms-fallback }
              - { after: 1d, goto: end }
          thanks:
            send: { channel: push, template: boost/thanks }
          sms-fallback:
            send: { channel: sms, template: boost/sorry }
        """;

    private readonly SimulationFolder _folder = new(("boost.yaml", Boost));

    public void Dispose() => _folder.Dispose();

    private string EventsFile() =>
        _folder.Write("events.jsonl", ["""{"type":"track","userId":"c1","event":"order_completed","timestamp":"2026-01-05T10:00:00Z"}"""]);

    [Fact]
    public void Simulate_ActionsFileWithAResult_WritesCalledWithTheActionAndMovesAlongDone()
    {
        var actions = _folder.Write("actions.json", """{"loyalty-credit": {"result": {"status": "ok"}}, "crm": {"failed": "down"}}""");

        var (exit, stdout, stderr) = _folder.Run("simulate", _folder.Journeys, "--events", EventsFile(), "--actions", actions);

        Assert.Equal((0, ""), (exit, stderr));
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("""{"timestamp":"2026-01-05T10:00:00Z","userId":"c1","journey":"boost","version":1,"step":"credit","decision":"called","channel":"loyalty-credit","reason":"call loyalty-credit: {\"status\":\"ok\"}"}""", lines[1]);
        Assert.Contains("\"decision\":\"moved\"", lines[2], StringComparison.Ordinal);
        Assert.Contains("\"step\":\"thanks\"", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_ActionsFileWithAFailure_WritesFailedAndMovesAlongFailed()
    {
        var actions = _folder.Write("actions.json", """{"loyalty-credit": {"failed": "ledger down"}}""");

        var (exit, stdout, stderr) = _folder.Run("simulate", _folder.Journeys, "--events", EventsFile(), "--actions", actions);

        Assert.Equal((0, ""), (exit, stderr));
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("""{"timestamp":"2026-01-05T10:00:00Z","userId":"c1","journey":"boost","version":1,"step":"credit","decision":"failed","channel":"loyalty-credit","reason":"ledger down"}""", lines[1]);
        Assert.Contains("\"step\":\"sms-fallback\"", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_WithoutActionsFile_EveryActionAnswersAnEmptyObject()
    {
        var (exit, stdout, stderr) = _folder.Run("simulate", _folder.Journeys, "--events", EventsFile(), "--until", "2026-01-07T00:00:00Z");

        Assert.Equal((0, ""), (exit, stderr));
        Assert.Contains("\"decision\":\"called\",\"channel\":\"loyalty-credit\",\"reason\":\"call loyalty-credit: {}\"", stdout, StringComparison.Ordinal);
        Assert.Contains("\"decision\":\"completed\",\"reason\":\"after 1d\"", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_TellsWhatTheActionAnswered()
    {
        var actions = _folder.Write("actions.json", """{"loyalty-credit": {"result": {"status": "ok"}}}""");

        var (exit, stdout, stderr) = _folder.Run("explain", _folder.Journeys, "--events", EventsFile(), "--user", "c1", "--actions", actions);

        Assert.Equal((0, ""), (exit, stderr));
        Assert.Contains("boost v1: action loyalty-credit answered {\"status\":\"ok\"} at step 'credit'", stdout, StringComparison.Ordinal);
        Assert.Contains("boost v1: moved 'credit' -> 'thanks'", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_FailedCall_TellsItGaveUp()
    {
        var actions = _folder.Write("actions.json", """{"loyalty-credit": {"failed": "ledger down"}}""");

        var (exit, stdout, stderr) = _folder.Run("explain", _folder.Journeys, "--events", EventsFile(), "--user", "c1", "--actions", actions);

        Assert.Equal((0, ""), (exit, stderr));
        Assert.Contains("boost v1: the call of action loyalty-credit gave up at step 'credit' — ledger down", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\n  \"loyalty-credit\": {\"result\": {\"status\": \"ok\"}", "line 3: not valid JSON")]
    [InlineData("[1]", "expected a JSON object of actions by name")]
    [InlineData("{\"loyalty-credit\": {\"result\": 3}}", "action 'loyalty-credit' must be {\"result\": {...}}")]
    [InlineData("{\"loyalty-credit\": {\"result\": {}, \"failed\": \"x\"}}", "action 'loyalty-credit' must be")]
    public void Simulate_BadActionsFile_IsOneLineNamingTheFileAndExits2(string text, string expected)
    {
        var actions = _folder.Write("actions.json", text);

        var (exit, stdout, stderr) = _folder.Run("simulate", _folder.Journeys, "--events", EventsFile(), "--actions", actions);

        Assert.Equal((2, ""), (exit, stdout));
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"journeys: actions file '{actions}'", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_MissingActionsFile_Exits2NamingIt()
    {
        var missing = _folder.PathOf("nope.json");

        var (exit, _, stderr) = _folder.Run("simulate", _folder.Journeys, "--events", EventsFile(), "--actions", missing);

        Assert.Equal(2, exit);
        Assert.Contains($"actions file '{missing}' does not exist", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_ActionsFileNotListingACalledAction_IsAnErrorAtTheActionsName()
    {
        var actions = _folder.Write("actions.json", """{"crm": {"result": {}}}""");

        var (exit, stdout, stderr) = _folder.Run("simulate", _folder.Journeys, "--events", EventsFile(), "--actions", actions);

        Assert.Equal((1, ""), (exit, stdout));
        Assert.Contains("boost.yaml:6:21: action 'loyalty-credit' is not in the actions file", stderr, StringComparison.Ordinal);
        Assert.Contains("it lists crm", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Test_ScenarioWithActions_RunsTheCallsAnsweredFromItsFile()
    {
        using var folder = new TempFolder();
        folder.Write("boost.yaml", Boost);
        folder.Write("tests/ok.json", """{"loyalty-credit": {"result": {"status": "ok"}}}""");
        folder.Write("tests/down.json", """{"loyalty-credit": {"failed": "ledger down"}}""");
        folder.Write("tests/ok.yaml", """
            name: credited
            events: [ { type: track, userId: c1, event: order_completed, timestamp: "2026-01-05T10:00:00Z" } ]
            actions: ok.json
            expect:
              - { customer: c1, journey: boost, step: credit, decision: called, time: "2026-01-05T10:00:00Z", channel: loyalty-credit }
              - { customer: c1, journey: boost, step: thanks, decision: sent, time: "2026-01-05T10:00:00Z", channel: push }
            """);
        folder.Write("tests/down.yaml", """
            name: the fallback
            events: [ { type: track, userId: c1, event: order_completed, timestamp: "2026-01-05T10:00:00Z" } ]
            actions: down.json
            expect:
              - { customer: c1, journey: boost, step: credit, decision: failed, time: "2026-01-05T10:00:00Z", channel: loyalty-credit, reason: ledger down }
              - { customer: c1, journey: boost, step: sms-fallback, decision: sent, time: "2026-01-05T10:00:00Z", channel: sms }
            """);

        var result = Support.Cli.Run("test", folder.Path);

        Assert.Equal((0, ""), (result.Exit, result.Err));
        Assert.Contains("2 scenarios: 2 passed, 0 failed", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Test_ScenarioWhoseActionsFileIsMissing_IsAnErrorAtTheKey()
    {
        using var folder = new TempFolder();
        folder.Write("boost.yaml", Boost);
        folder.Write("tests/ok.yaml", """
            events: [ { type: track, userId: c1, event: order_completed, timestamp: "2026-01-05T10:00:00Z" } ]
            actions: nope.json
            forbid: [ { customer: c1, decision: failed } ]
            """);

        var result = Support.Cli.Run("test", folder.Path);

        Assert.Equal(1, result.Exit);
        Assert.Contains("tests/ok.yaml:2:10: actions file", result.Err, StringComparison.Ordinal);
        Assert.Contains("(paths are relative to the scenario file)", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Graph_CallingStep_HasItsCallNoteAndDoneAndFailedEdges()
    {
        var catalog = Diagnose.Load(Boost);
        Diagnose.NoErrors(catalog);
        var journey = catalog.Journeys.Single();

        var mermaid = JourneyGraph.ToMermaid(journey);
        var dot = JourneyGraph.ToDot(journey);

        Assert.Contains("note right of credit : call loyalty-credit", mermaid, StringComparison.Ordinal);
        Assert.Contains("credit --> thanks : on $done [result.status == 'ok']", mermaid, StringComparison.Ordinal);
        Assert.Contains("credit --> smsfallback : on $failed", mermaid, StringComparison.Ordinal);
        Assert.Contains("entry / call loyalty-credit", dot, StringComparison.Ordinal);
        Assert.Contains("on $failed", dot, StringComparison.Ordinal);
    }
}
