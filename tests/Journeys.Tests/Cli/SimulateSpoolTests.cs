using System.Globalization;
using System.Text;
using Journeys.Cli;
using Journeys.Tests.Support;

namespace Journeys.Tests.Cli;

/// <summary>simulate to stdout or a device reads the events file once: the decisions are held in a <see cref="Spool"/>
/// (memory, then a temporary file) while the one read checks every line, and copied out only when all are good — the
/// contract's "reported before any decision is written", without the first read that only checked.</summary>
public sealed class SimulateSpoolTests : IDisposable
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

    private string SpoolFolder()
    {
        var folder = Path.Combine(_temp.Path, "spool");
        Directory.CreateDirectory(folder);
        return folder;
    }

    [Theory]
    [InlineData(0L)] // every byte through the temporary file
    [InlineData(100_000L)] // a block in memory, the rest in the file
    [InlineData(Spool.DefaultMemory)] // all in memory
    public void SimulateToStdout_ReadsEveryLineOnce_AndPrintsTheBytesOfTheFileRun(long memory)
    {
        var lines = SimulateEvents.Lines(1, lines: 6000, customers: 600, firstName: "Lí 李");
        var events = Write(lines, "events.jsonl");
        var file = Path.Combine(_temp.Path, "decisions.jsonl");
        var spool = SpoolFolder();
        var stdout = new StringWriter();
        var linesRead = -1;

        var exit = SimulateCommand.SimulateSpooled(Samples, events, null, null, SimulateCommand.Target.Of(stdout), TextWriter.Null,
            memory, spool, run => linesRead = run.LinesRead);
        var once = Support.Cli.Run("simulate", Samples, "--events", events, "--out", file);

        Assert.Equal((0, 0), (exit, once.Exit));
        Assert.Equal(lines.Count, linesRead); // the two-read run read 2 × lines
        Assert.True(stdout.ToString().Length > 100_000, "the run decides enough to fill several blocks");
        Assert.Equal(File.ReadAllText(file), stdout.ToString());
        Assert.Empty(Directory.GetFiles(spool)); // the temporary file went with the spool
    }

    [Fact]
    public void SimulateToStdout_BadLineNearTheEnd_WritesNothingAndReportsEveryBadLine()
    {
        var lines = SimulateEvents.Lines(2, firstName: "Lí 李");
        lines[1990] = """{"type":"track","userId":"u1","event":"app_open","timestamp":"yesterday"}""";
        var events = Write(lines, "events.jsonl");
        var spool = SpoolFolder();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var linesRead = -1;

        var exit = SimulateCommand.SimulateSpooled(Samples, events, null, null, SimulateCommand.Target.Of(stdout), stderr,
            0, spool, run => linesRead = run.LinesRead);
        var cli = Support.Cli.Run("simulate", Samples, "--events", events);

        Assert.Equal((1, "", lines.Count), (exit, stdout.ToString(), linesRead));
        Assert.Equal((1, ""), (cli.Exit, cli.Out));
        Assert.Single(cli.ErrLines);
        Assert.Contains(":1991:", cli.Err, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(spool));
    }

    [Fact]
    public void SimulateToStdout_LinesOutOfOrderNearTheEnd_PrintsTheBytesOfTheLinesInOrder()
    {
        var lines = SimulateEvents.Lines(3, firstName: "Lí 李");
        var ordered = Write(lines, "ordered.jsonl");
        (lines[^1], lines[^2]) = (lines[^2], lines[^1]);
        lines.Insert(lines.Count - 1, lines[10]);
        var shuffled = Write(lines, "shuffled.jsonl");
        var expected = Path.Combine(_temp.Path, "expected.jsonl");

        var inOrder = Support.Cli.Run("simulate", Samples, "--events", ordered);
        var outOfOrder = Support.Cli.Run("simulate", Samples, "--events", shuffled);
        var file = Support.Cli.Run("simulate", Samples, "--events", shuffled, "--out", expected);

        Assert.Equal((0, 0, 0, ""), (inOrder.Exit, outOfOrder.Exit, file.Exit, outOfOrder.Err));
        Assert.Equal(File.ReadAllText(expected), outOfOrder.Out);
        Assert.True(outOfOrder.Out.Length > 5_000, "the run decides something");
    }

    [Fact]
    public void Spool_PastItsMemory_GoesOnInAFileAndGivesBackEveryByteAndCharacter()
    {
        var folder = SpoolFolder();
        var text = new StringBuilder();
        for (var i = 0; text.Length < 300_000; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i} é 李 😀\n"); // 2-, 3- and 4-byte characters: some fall across a 64 KB block's end
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        using var spool = new Spool(memory: 128 * 1024, folder);
        for (var at = 0; at < bytes.Length; at += 7_777)
        {
            spool.Write(bytes, at, Math.Min(7_777, bytes.Length - at));
        }

        Assert.True(spool.Spilled);
        Assert.Single(Directory.GetFiles(folder));
        Assert.Equal(bytes.Length, spool.Length);

        var copy = new MemoryStream();
        spool.WriteTo(copy);
        var decoded = new StringWriter();
        spool.WriteTo(decoded);

        Assert.Equal(bytes, copy.ToArray());
        Assert.Equal(text.ToString(), decoded.ToString());
        spool.Dispose();
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public void Spool_WithinItsMemory_WritesNoFile()
    {
        var folder = SpoolFolder();
        using var spool = new Spool(memory: 1024 * 1024, folder);
        var bytes = Enumerable.Range(0, 500_000).Select(i => (byte)(i * 31)).ToArray();

        spool.Write(bytes);

        var copy = new MemoryStream();
        spool.WriteTo(copy);
        Assert.False(spool.Spilled);
        Assert.Empty(Directory.GetFiles(folder));
        Assert.Equal(bytes, copy.ToArray());
    }
}
