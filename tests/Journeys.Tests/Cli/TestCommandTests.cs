using System.Xml.Linq;
using Journeys.Tests.Support;

namespace Journeys.Tests.Cli;

/// <summary><c>journeys test &lt;folder&gt; [--junit FILE]</c>: the scenario files in the folder's <c>tests/</c> run in
/// virtual time; each prints PASS or FAIL with a diff of expected against actual decisions; exit 1 when any fails or a
/// scenario file is wrong (every problem as file:line:column); JUnit XML on request.</summary>
public sealed class TestCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string Samples => Path.Combine(AppContext.BaseDirectory, "samples", "journeys");

    /// <summary>The samples copied to the temp folder, so a test can change them.</summary>
    private void CopySamples()
    {
        foreach (var file in Directory.GetFiles(Samples, "*", SearchOption.AllDirectories))
        {
            _folder.WriteBytes(Path.GetRelativePath(Samples, file), File.ReadAllBytes(file));
        }
    }

    private const string Welcome = """
        journey: welcome
        entry: { on: signed_up }
        start: hello
        steps:
          hello:
            send: { channel: email, template: welcome/hello }
            then:
              - after: 2d
                goto: nudge
          nudge:
            send: { channel: push, template: welcome/nudge }
        """;

    private void WriteWelcome(string scenario)
    {
        _folder.Write("welcome.yaml", Welcome);
        _folder.Write("tests/welcome.yaml", scenario);
    }

    [Fact]
    public void Test_Samples_EverySampleJourneyHasPassingScenarios()
    {
        var result = Support.Cli.Run("test", Samples);

        Assert.Equal((0, ""), (result.Exit, result.Err));
        Assert.Equal("10 scenarios: 10 passed, 0 failed", result.OutLines[^1]);
        foreach (var journey in new[] { "birthday", "dormant-winback", "feedback", "festival greetings", "membership-renewal", "new-customer-nurture", "quarterly-survey", "value-boost" })
        {
            Assert.Contains(result.OutLines, l => l.StartsWith($"PASS  {journey} ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Test_SampleTimingChangedFrom7dTo8d_FailsWithTheDiffAndExits1()
    {
        CopySamples();
        var journey = _folder.File("new-customer-nurture.yaml");
        var text = File.ReadAllText(journey);
        Assert.Contains("after: 7d", text, StringComparison.Ordinal);
        File.WriteAllText(journey, text.Replace("after: 7d", "after: 8d", StringComparison.Ordinal));

        var result = Support.Cli.Run("test", _folder.Path);

        Assert.Equal(1, result.Exit);
        Assert.Contains(result.OutLines, l => l.StartsWith("FAIL  new-customer-nurture ", StringComparison.Ordinal));
        var scenario = _folder.File("tests/new-customer-nurture.yaml");
        Assert.Contains(
            $"      - expected  2026-01-12T10:00:00Z  c1  new-customer-nurture  consult  sent  channel=agent-task  template=nurture/consult-call   ({scenario}:18:5)",
            result.OutLines);
        Assert.Contains(
            "      + actual    2026-01-13T10:00:00Z  c1  new-customer-nurture  consult  sent  channel=agent-task  template=nurture/consult-call   (differs in time)",
            result.OutLines);
        Assert.Equal("10 scenarios: 9 passed, 1 failed", result.OutLines[^1]);
    }

    [Fact]
    public void Test_WithJUnit_WritesOneTestCasePerScenarioAndTheDiffAsTheFailure()
    {
        CopySamples();
        var journey = _folder.File("value-boost.yaml");
        File.WriteAllText(journey, File.ReadAllText(journey).Replace("after: 7d", "after: 8d", StringComparison.Ordinal));
        var junit = _folder.File("results/journeys-tests.xml");

        var result = Support.Cli.Run("test", _folder.Path, "--junit", junit);

        Assert.Equal(1, result.Exit);
        var suites = XDocument.Load(junit).Root!;
        // Both value-boost scenarios (the ledger answering, and failing) follow its timing.
        Assert.Equal(("testsuites", "10", "2", "0"), (suites.Name.LocalName, suites.Attribute("tests")!.Value, suites.Attribute("failures")!.Value, suites.Attribute("errors")!.Value));
        var cases = suites.Descendants("testcase").ToList();
        Assert.Equal(10, cases.Count);
        Assert.All(cases.Where(c => c.Element("failure") is not null), c => Assert.StartsWith("value-boost ", c.Attribute("name")!.Value, StringComparison.Ordinal));
        var failed = Assert.Single(cases, c => c.Element("failure") is not null && c.Attribute("name")!.Value.Contains("credited by the loyalty system", StringComparison.Ordinal));
        Assert.Contains("- expected  2026-03-10T10:00:00Z  v1  value-boost  trial  sent", failed.Element("failure")!.Value, StringComparison.Ordinal);
        Assert.Contains("+ actual    2026-03-11T10:00:00Z  v1  value-boost  trial  sent", failed.Element("failure")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Test_ForbiddenDecisionHappens_FailsNamingTheDecision()
    {
        WriteWelcome("""
            events:
              - { type: track, userId: c1, event: signed_up, timestamp: "2026-01-05T10:00:00Z" }
            until: "2026-01-10T00:00:00Z"
            forbid:
              - { customer: c1, template: welcome/nudge }
            """);

        var result = Support.Cli.Run("test", _folder.Path);

        Assert.Equal(1, result.Exit);
        Assert.Equal(
        [
            $"FAIL  welcome  ({_folder.File("tests/welcome.yaml")})",
            $"      ! forbidden c1  template=welcome/nudge   ({_folder.File("tests/welcome.yaml")}:5:5)",
            "      + actual    2026-01-07T10:00:00Z  c1  welcome  nudge  sent  channel=push  template=welcome/nudge",
            "1 scenario: 0 passed, 1 failed",
        ], result.OutLines);
    }

    [Fact]
    public void Test_UntilBeforeTheTimer_TheTimersDecisionIsNotThere()
    {
        WriteWelcome("""
            name: the nudge waits two days
            events:
              - { type: track, userId: c1, event: signed_up, timestamp: "2026-01-05T10:00:00Z" }
            until: "2026-01-07T09:59:00Z"
            expect:
              - { customer: c1, journey: welcome, step: nudge, decision: sent, time: "2026-01-07T10:00:00Z" }
            """);

        var result = Support.Cli.Run("test", _folder.Path);

        Assert.Equal(1, result.Exit);
        Assert.Contains("      + actual    2026-01-05T10:00:00Z  c1  welcome  hello  sent  channel=email  template=welcome/hello   (differs in step, time)", result.OutLines);
    }

    [Fact]
    public void Test_ExpectedDecisionForACustomerWithNone_SaysSo()
    {
        WriteWelcome("""
            events:
              - { type: track, userId: c1, event: signed_up, timestamp: "2026-01-05T10:00:00Z" }
            expect:
              - { customer: c9, journey: welcome, step: hello, decision: entered, time: "2026-01-05T10:00:00Z" }
            """);

        var result = Support.Cli.Run("test", _folder.Path);

        Assert.Equal(1, result.Exit);
        Assert.Contains("      + actual    nothing for c9 in welcome", result.OutLines);
    }

    [Fact]
    public void Test_EventsFromAFile_RunsThemAndReportsABadLineAtItsLine()
    {
        _folder.Write("events.jsonl", """
            {"type":"track","userId":"c1","event":"signed_up","timestamp":"2026-01-05T10:00:00Z"}
            {"type":"track","userId":"c1","event":"signed_up","timestamp":"yesterday"}
            """);
        WriteWelcome("""
            events: ../events.jsonl
            expect:
              - { customer: c1, journey: welcome, step: hello, decision: sent, time: "2026-01-05T10:00:00Z" }
            """);

        var result = Support.Cli.Run("test", _folder.Path);

        Assert.Equal(1, result.Exit);
        Assert.Contains(result.ErrLines, l => l.StartsWith(Path.Combine(_folder.Path, "tests", "../events.jsonl") + ":2:", StringComparison.Ordinal));
        Assert.Equal("0 scenarios: 0 passed, 0 failed; 1 scenario file with errors not run", result.OutLines[^1]);
    }

    [Fact]
    public void Test_BadScenarioFile_ReportsEveryProblemAtFileLineColumnAndRunsNothing()
    {
        WriteWelcome("""
            name: broken
            evnts: []
            until: tomorrow
            events:
              - { type: track, userId: c1, event: signed_up }
            expect:
              - { customer: c1, journey: welcom, step: hello, decision: send, time: "2026-01-05T10:00:00Z", colour: red }
              - { customer: c1, journey: welcome, decision: sent }
            """);
        var file = _folder.File("tests/welcome.yaml");

        var result = Support.Cli.Run("test", _folder.Path);

        Assert.Equal(1, result.Exit);
        Assert.Equal(
        [
            $"{file}:2:1: unknown key 'evnts' in a scenario; allowed keys are name, events, until, actions, expect, forbid",
            $"{file}:3:8: 'until' must be a timestamp, ISO 8601 with a UTC offset, such as 2026-01-05T10:00:00Z or 2026-01-05T18:00:00+08:00",
            $"{file}:5:5: missing \"timestamp\" (ISO 8601 with a UTC offset, such as 2026-01-05T10:00:00Z or 2026-01-05T18:00:00+08:00)",
            $"{file}:7:97: unknown key 'colour' in a decision of 'expect'; allowed keys are customer, journey, step, decision, time, channel, template, reason, case",
            $"{file}:7:30: no journey 'welcom' in the folder; journeys are welcome",
            $"{file}:7:61: 'send' is not a decision; decisions are entered, moved, sent, suppressed, deferred, failed, goal, exited, completed, updated, emitted, called",
            $"{file}:8:5: missing 'step': an expected decision names customer, journey, step, decision, time",
            $"{file}:8:5: missing 'time': an expected decision names customer, journey, step, decision, time",
        ], result.ErrLines);
        Assert.Equal(["0 scenarios: 0 passed, 0 failed; 1 scenario file with errors not run"], result.OutLines);
    }

    [Fact]
    public void Test_ScenarioFileWithBadYaml_ReportsTheSyntaxErrorAtItsPlace()
    {
        WriteWelcome("events: [\nexpect: {\n");

        var result = Support.Cli.Run("test", _folder.Path);

        Assert.Equal(1, result.Exit);
        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(_folder.File("tests/welcome.yaml"))}:[0-9]+:[0-9]+: ", Assert.Single(result.ErrLines));
    }

    [Fact]
    public void Test_FolderWithoutTests_SaysNothingWasTestedAndExits1()
    {
        _folder.Write("welcome.yaml", Welcome);

        var result = Support.Cli.Run("test", _folder.Path);

        Assert.Equal((1, ""), (result.Exit, result.Out));
        Assert.Equal([$"journeys: no scenario files in '{Path.Combine(_folder.Path, "tests")}' (tests/*.yaml): nothing was tested"], result.ErrLines);
    }

    [Fact]
    public void Test_BrokenJourneyFolder_PrintsTheLoadErrorsAndExits1()
    {
        _folder.Write("welcome.yaml", Welcome.Replace("goto: nudge", "goto: nowhere", StringComparison.Ordinal));
        _folder.Write("tests/welcome.yaml", "events: []\nforbid: [ { decision: sent } ]\n");

        var result = Support.Cli.Run("test", _folder.Path);

        Assert.Equal((1, ""), (result.Exit, result.Out));
        Assert.Contains(result.ErrLines, l => l.Contains("goto 'nowhere': no such step", StringComparison.Ordinal));
    }
}
