using Journeys.Tests.Runtime;
using Journeys.Tests.Support;

namespace Journeys.Tests.Cli;

/// <summary>Messages that say what is really wrong: an <c>explain --until</c> before a user's events, and ids or file
/// names with control characters, which reach the terminal escaped.</summary>
public sealed class OperatorMessagesTests : IDisposable
{
    private static readonly string[] Events =
    [
        """{"type":"track","userId":"c1","event":"signed_up","timestamp":"2026-01-05T10:00:00Z"}""",
        """{"type":"track","userId":"c2","event":"signed_up","timestamp":"2026-01-07T10:00:00Z"}""",
        """{"type":"track","userId":"c2","event":"app_open","timestamp":"2026-01-06T10:00:00Z"}""",
    ];

    private readonly SimulationFolder _folder = new(("nurture.yaml", SpecJourneys.Nurture));

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Explain_UntilBeforeEveryEventOfTheFile_SaysSoNotThatTheFileHasNone()
    {
        var events = _folder.Write("events.jsonl", Events);

        var (exit, stdout, stderr) = _folder.Run("explain", _folder.Journeys, "--events", events, "--user", "c9", "--until", "2026-01-01T00:00:00Z");

        Assert.Equal((2, "", "journeys: no event in the file is for user 'c9'; every one of the file's 3 events is after --until\n"), (exit, stdout, stderr));
    }

    [Fact]
    public void Explain_UntilBeforeEveryEventOfTheUser_NamesTheirFirstEvent()
    {
        var events = _folder.Write("events.jsonl", Events);

        var (exit, stdout, stderr) = _folder.Run("explain", _folder.Journeys, "--events", events, "--user", "c2", "--until", "2026-01-05T12:00:00Z");

        Assert.Equal((2, "", "journeys: every event for user 'c2' is after --until 2026-01-05T12:00:00Z; their first is at 2026-01-06T10:00:00Z (line 3)\n"),
            (exit, stdout, stderr));
    }

    [Fact]
    public void Validate_StepNameWithATerminalEscape_IsPrintedEscaped()
    {
        using var folder = new TempFolder();
        folder.Write("j.yaml", "journey: j\nversion: 1\nentry: { on: a }\nstart: \"\\e[2Jgone\"\nsteps:\n  s:\n");

        var result = Support.Cli.Run("validate", folder.Path);

        Assert.Equal(1, result.Exit);
        Assert.DoesNotContain('\u001b', result.Err);
        Assert.Contains("\\u001b[2Jgone", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Graph_UnknownJourneyWithANewline_StaysOneEscapedLine()
    {
        var (exit, _, stderr) = _folder.Run("graph", _folder.Journeys, "--journey", "x\ny\u0007");

        Assert.Equal(2, exit);
        Assert.Equal("journeys: no journey 'x\\ny\\u0007'; journeys are new-customer-nurture\n", stderr);
    }

    [Fact]
    public void NoArguments_PrintsTheHelpWithEveryVerb()
    {
        var result = Support.Cli.Run();

        Assert.Equal((0, ""), (result.Exit, result.Err));
        Assert.Contains("Usage:", result.Out, StringComparison.Ordinal);
        Assert.All(new[] { "validate", "graph", "simulate", "explain" }, verb => Assert.Contains(verb, result.Out, StringComparison.Ordinal));
    }

    [Fact]
    public void Explain_PropertyValues_AreShownAsTheJsonWroteThem()
    {
        var events = _folder.Write("events.jsonl",
            """{"type":"track","userId":"c1","event":"signed_up","timestamp":"2026-01-05T10:00:00Z","properties":{"a":false,"b":129.0,"c":49.5,"d":null,"e":true,"f":"x"}}""");

        var (exit, stdout, _) = _folder.Run("explain", _folder.Journeys, "--events", events, "--user", "c1");

        Assert.Equal(0, exit);
        Assert.Contains("event   signed_up a=false b=129.0 c=49.5 d=null e=true f=x  (line 1)", stdout, StringComparison.Ordinal);
    }
}
