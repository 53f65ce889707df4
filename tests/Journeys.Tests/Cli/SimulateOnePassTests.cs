using System.Text;
using Journeys.Cli;
using Journeys.Decisions;
using Journeys.Tests.Support;

namespace Journeys.Tests.Cli;

/// <summary>simulate to a file (<c>--out FILE</c>, written whole and renamed) reads the events file once: the
/// parse-ahead thread checks each line as it parses it while the run goes on, and a bad line drops the run's decisions
/// (the temporary file) before any reaches the output — the contract's "reported before any decision is written".
/// Compared with the two-read run (stdout), which checks every line first.</summary>
public sealed class SimulateOnePassTests : IDisposable
{
    private static string Samples => Path.Combine(AppContext.BaseDirectory, "samples", "journeys");

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Write(IEnumerable<string> lines, string name)
    {
        var path = Path.Combine(_temp.Path, name);
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    private static string[] Args(string events, string? until, params string[] more) =>
        [.. new[] { "simulate", Samples, "--events", events }, .. until is null ? [] : new[] { "--until", until }, .. more];

    [Theory]
    [InlineData(1, null)]
    [InlineData(2, "2026-01-20T00:00:00Z")]
    public void Simulate_ToAFile_WritesTheBytesTheTwoReadRunPrints(int seed, string? until)
    {
        var events = Write(SimulateEvents.Lines(seed), "events.jsonl");
        var output = Path.Combine(_temp.Path, "decisions.jsonl");

        var twice = Support.Cli.Run(Args(events, until));
        var once = Support.Cli.Run(Args(events, until, "--out", output));

        Assert.Equal((0, "", 0, ""), (twice.Exit, twice.Err, once.Exit, once.Err));
        Assert.True(twice.Out.Length > 5_000, "the run decides something");
        Assert.Equal(twice.Out, File.ReadAllText(output));
    }

    [Fact]
    public void RunOnce_ReadsEveryLineOnce_WhereCheckThenRunReadsItTwice()
    {
        var lines = SimulateEvents.Lines(3);
        var events = Write(lines, "events.jsonl");
        var decided = new List<JourneyDecision>();

        var (once, _) = StreamedRun.Prepare(Samples, events, null, TextWriter.Null);
        var pass = once!.RunOnce(decided.Add);
        var (twice, _) = StreamedRun.Check(Samples, events, null, TextWriter.Null);
        var expected = new List<JourneyDecision>();
        twice!.Run(expected.Add);

        Assert.True(pass.Complete);
        Assert.Equal((lines.Count, 2 * lines.Count), (once.LinesRead, twice.LinesRead));
        Assert.True(expected.Count > 500, "the run decides something");
        Assert.Equal(Text(expected), Text(decided));
    }

    private static string Text(List<JourneyDecision> decisions)
    {
        var text = new StringWriter();
        var output = new DecisionOutput(text);
        SimulateCommand.Write(decisions, output);
        output.Flush();
        return text.ToString();
    }

    [Fact]
    public void Simulate_ToAFile_BadLines_LeavesTheFileAsItWasAndReportsEveryBadLineAsTheTwoReadRunDoes()
    {
        var lines = SimulateEvents.Lines(4);
        lines[1500] = """{"type":"track","userId":"u1","event":"app_open","timestamp":"yesterday"}""";
        lines[1900] = """{"type":"track","userId":"u1",""";
        var events = Write(lines, "events.jsonl");
        var output = Path.Combine(_temp.Path, "decisions.jsonl");
        File.WriteAllText(output, "what was there\n");

        var twice = Support.Cli.Run(Args(events, "2026-01-06T00:00:00Z")); // both bad lines are after --until: still checked
        var once = Support.Cli.Run(Args(events, "2026-01-06T00:00:00Z", "--out", output));

        Assert.Equal((1, 1, ""), (twice.Exit, once.Exit, once.Out));
        Assert.Equal(2, once.ErrLines.Length);
        Assert.Contains(":1501:", once.ErrLines[0], StringComparison.Ordinal);
        Assert.Contains(":1901:", once.ErrLines[1], StringComparison.Ordinal);
        Assert.Equal(twice.Err, once.Err);
        Assert.Equal("what was there\n", File.ReadAllText(output));
        Assert.Equal(["decisions.jsonl", "events.jsonl"], Directory.GetFiles(_temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("2026-01-20T00:00:00Z")]
    public void Simulate_ToAFile_LinesOutOfOrder_WritesTheBytesOfTheLinesInOrder(string? until)
    {
        var lines = SimulateEvents.Lines(5);
        var ordered = Write(lines, "ordered.jsonl");
        // Only the last two lines swapped: the run is well under way (and past --until) when the file shows it is out of order.
        (lines[^1], lines[^2]) = (lines[^2], lines[^1]);
        lines.Insert(lines.Count - 1, lines[10]); // an early line again near the end: earlier than the one before it
        var shuffled = Write(lines, "shuffled.jsonl");
        var a = Path.Combine(_temp.Path, "a.jsonl");
        var b = Path.Combine(_temp.Path, "b.jsonl");

        var inOrder = Support.Cli.Run(Args(ordered, until, "--out", a));
        var outOfOrder = Support.Cli.Run(Args(shuffled, until, "--out", b));
        var expected = Support.Cli.Run(Args(shuffled, until)); // the two-read run, held and sorted

        Assert.Equal((0, 0, 0, "", ""), (inOrder.Exit, outOfOrder.Exit, expected.Exit, outOfOrder.Err, outOfOrder.Out));
        Assert.Equal(expected.Out, File.ReadAllText(b));
        Assert.True(File.ReadAllText(a).Length > 5_000);
    }
}
