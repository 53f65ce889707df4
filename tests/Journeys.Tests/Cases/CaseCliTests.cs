using Journeys.Tests.Runtime;
using Journeys.Tests.Support;

namespace Journeys.Tests.Cases;

/// <summary>Cases in the operators' tool (cli.md): <c>simulate</c> writes <c>"case"</c> as text on a run's decisions,
/// <c>explain</c> says which case an event reached, <c>journeys test</c> scenarios match on <c>case</c>, and <c>report</c>
/// counts a run per case.</summary>
public sealed class CaseCliTests : IDisposable
{
    private const string Feedback = """
        journey: feedback
        entry: { on: feedback_submitted }
        case: event.ticketId
        start: open
        steps:
          open:
            then:
              - { on: feedback_answered, goto: answered }
              - { after: 2d, goto: late }
          late:
          answered:
        """;

    private static readonly string[] Events =
    [
        """{"type":"track","userId":"c1","event":"feedback_submitted","timestamp":"2026-01-05T10:00:00Z","properties":{"ticketId":7}}""",
        """{"type":"track","userId":"c1","event":"feedback_submitted","timestamp":"2026-01-05T11:00:00Z","properties":{"ticketId":"T-3"}}""",
        """{"type":"track","userId":"c1","event":"feedback_answered","timestamp":"2026-01-05T12:00:00Z","properties":{"ticketId":"7"}}""",
    ];

    private readonly SimulationFolder _folder = new(("feedback.yaml", Feedback));

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Simulate_WritesTheCaseAsText_OnEveryDecisionOfARun()
    {
        var events = _folder.Write("events.jsonl", Events);

        var (exit, stdout, stderr) = _folder.Run("simulate", _folder.Journeys, "--events", events, "--until", "2026-01-10T00:00:00Z");

        Assert.Equal((0, ""), (exit, stderr));
        Assert.Equal(
        [
            """{"timestamp":"2026-01-05T10:00:00Z","userId":"c1","journey":"feedback","version":1,"step":"open","decision":"entered","reason":"on feedback_submitted","case":"7"}""",
            """{"timestamp":"2026-01-05T11:00:00Z","userId":"c1","journey":"feedback","version":1,"step":"open","decision":"entered","reason":"on feedback_submitted","case":"T-3"}""",
            """{"timestamp":"2026-01-05T12:00:00Z","userId":"c1","journey":"feedback","version":1,"step":"answered","decision":"moved","reason":"on feedback_answered","from":"open","case":"7"}""",
            """{"timestamp":"2026-01-05T12:00:00Z","userId":"c1","journey":"feedback","version":1,"step":"answered","decision":"completed","case":"7"}""",
            """{"timestamp":"2026-01-07T11:00:00Z","userId":"c1","journey":"feedback","version":1,"step":"late","decision":"moved","reason":"after 2d","from":"open","case":"T-3"}""",
            """{"timestamp":"2026-01-07T11:00:00Z","userId":"c1","journey":"feedback","version":1,"step":"late","decision":"completed","case":"T-3"}""",
        ], stdout.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Explain_TellsTheCaseAnEventReached()
    {
        var events = _folder.Write("events.jsonl", Events);

        var (exit, stdout, _) = _folder.Run("explain", _folder.Journeys, "--events", events, "--user", "c1", "--until", "2026-01-10T00:00:00Z");

        Assert.Equal(0, exit);
        Assert.Contains("feedback v1 case 7: moved 'open' -> 'answered'", stdout, StringComparison.Ordinal);
        Assert.Contains("feedback v1 case T-3: entered at step 'open'", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_AnEntryRefusedForWantOfAKey_SaysSo()
    {
        var events = _folder.Write("events.jsonl",
            """{"type":"track","userId":"c1","event":"feedback_submitted","timestamp":"2026-01-05T10:00:00Z","properties":{}}""");

        var (_, stdout, _) = _folder.Run("explain", _folder.Journeys, "--events", events, "--user", "c1");

        Assert.Contains("feedback v1: not entered — no case: event.ticketId is null", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Test_ScenarioExpectingACase_PassesOnItsCase_AndFailsOnAnother()
    {
        Directory.CreateDirectory(Path.Combine(_folder.Journeys, "tests"));
        _folder.Write("journeys/tests/feedback.yaml", """
            name: two tickets
            events:
              - { type: track, userId: c1, event: feedback_submitted, timestamp: "2026-01-05T10:00:00Z", properties: { ticketId: 7 } }
              - { type: track, userId: c1, event: feedback_submitted, timestamp: "2026-01-05T11:00:00Z", properties: { ticketId: T-3 } }
              - { type: track, userId: c1, event: feedback_answered, timestamp: "2026-01-05T12:00:00Z", properties: { ticketId: "7" } }
            until: "2026-01-10T00:00:00Z"
            expect:
              - { customer: c1, journey: feedback, step: answered, decision: moved, time: "2026-01-05T12:00:00Z", case: 7 }
              - { customer: c1, journey: feedback, step: late, decision: moved, time: "2026-01-07T11:00:00Z", case: T-3 }
            forbid:
              - { journey: feedback, step: late, case: 7 }
            """);

        var passing = Support.Cli.Run("test", _folder.Journeys);
        _folder.Write("journeys/tests/feedback.yaml", File.ReadAllText(_folder.PathOf("journeys/tests/feedback.yaml")).Replace("case: T-3 }", "case: T-2 }", StringComparison.Ordinal));
        var failing = Support.Cli.Run("test", _folder.Journeys);

        Assert.Equal((0, "1 scenario: 1 passed, 0 failed"), (passing.Exit, passing.OutLines[^1]));
        Assert.Equal(1, failing.Exit);
        Assert.Contains(failing.OutLines, l => l.Contains("case=T-2", StringComparison.Ordinal));
    }

    [Fact]
    public void Report_CountsARunPerCase()
    {
        var events = _folder.Write("events.jsonl", Events);

        var (exit, stdout, _) = _folder.Run("report", _folder.Journeys, "--events", events, "--until", "2026-01-10T00:00:00Z", "--format", "json");

        Assert.Equal(0, exit);
        Assert.Contains("""{"journey":"feedback","step":null,"arrived":2,""", stdout, StringComparison.Ordinal);
        Assert.Contains("""{"journey":"feedback","step":"answered","arrived":1,""", stdout, StringComparison.Ordinal);
        Assert.Contains("""{"journey":"feedback","step":"late","arrived":1,""", stdout, StringComparison.Ordinal);
    }
}
