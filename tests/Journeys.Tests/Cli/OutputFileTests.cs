using Journeys.Cli;
using Journeys.Tests.Runtime;
using Journeys.Tests.Support;

namespace Journeys.Tests.Cli;

/// <summary><c>--out</c> is written whole or not at all (a temporary file beside it, renamed at the end), and refused when
/// it is — by file identity, not by the text of its path — a file the run reads, or a folder.</summary>
public sealed class OutputFileTests : IDisposable
{
    private static readonly string[] Events =
    [
        """{"type":"track","userId":"c1","event":"signed_up","timestamp":"2026-01-05T10:00:00Z"}""",
    ];

    private readonly SimulationFolder _folder = new(("nurture.yaml", SpecJourneys.Nurture));

    public void Dispose() => _folder.Dispose();

    private static string Content(string path) => File.ReadAllText(path);

    [Fact]
    public void Out_HardLinkToTheEventsFile_IsRefusedAndTheEventsAreLeftAlone()
    {
        var events = _folder.Write("events.jsonl", Events);
        var link = _folder.PathOf("decisions.jsonl");
        HardLink(events, link);

        var (exit, stdout, stderr) = _folder.Run("simulate", _folder.Journeys, "--events", events, "--out", link);

        Assert.Equal((2, "", $"journeys: --out '{link}' is the events file: writing the decisions would overwrite it\n"), (exit, stdout, stderr));
        Assert.Equal(Events[0] + "\n", Content(events));
    }

    [Fact]
    public void Out_SymbolicLinkToTheEventsFile_IsRefused()
    {
        var events = _folder.Write("events.jsonl", Events);
        var link = SpecialFiles.Link(_folder.PathOf("decisions.jsonl"), events);

        var (exit, _, stderr) = _folder.Run("simulate", _folder.Journeys, "--events", events, "--out", link);

        Assert.Equal(2, exit);
        Assert.Contains("is the events file", stderr, StringComparison.Ordinal);
        Assert.Equal(Events[0] + "\n", Content(events));
    }

    [Fact]
    public void Out_AJourneyFileOfTheFolder_IsRefused()
    {
        var events = _folder.Write("events.jsonl", Events);
        var journey = Path.Combine(_folder.Journeys, "nurture.yaml");
        var before = Content(journey);

        var (exit, _, stderr) = _folder.Run("simulate", _folder.Journeys, "--events", events, "--out", journey);

        Assert.Equal((2, $"journeys: --out '{journey}' is 'nurture.yaml' of the journey folder: writing the decisions would overwrite it\n"), (exit, stderr));
        Assert.Equal(before, Content(journey));
    }

    [Fact]
    public void Out_AFolder_SaysItIsAFolder()
    {
        var events = _folder.Write("events.jsonl", Events);

        var (exit, _, stderr) = _folder.Run("simulate", _folder.Journeys, "--events", events, "--out", _folder.Root);

        Assert.Equal((2, $"journeys: --out '{_folder.Root}' is a folder: give the file to write to\n"), (exit, stderr));
    }

    [Fact]
    public void Out_AnExistingFile_IsReplacedWholeAndNoTemporaryFileIsLeft()
    {
        var events = _folder.Write("events.jsonl", Events);
        var output = _folder.Write("out.jsonl", "old");

        var (exit, _, _) = _folder.Run("simulate", _folder.Journeys, "--events", events, "--out", output);

        Assert.Equal(0, exit);
        Assert.StartsWith("{\"timestamp\":\"2026-01-05T10:00:00Z\"", Content(output), StringComparison.Ordinal);
        Assert.Equal(["events.jsonl", "journeys", "out.jsonl"], Directory.EnumerateFileSystemEntries(_folder.Root).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Write_FailingHalfWay_LeavesTheOldFileAndNoTemporaryFile()
    {
        var output = _folder.Write("out.jsonl", "old");

        var failure = Assert.Throws<IOException>(() => OutputFile.Write(output, writer =>
        {
            writer.Write(new string('x', 100_000));
            throw new IOException("No space left on device");
        }));

        Assert.Equal("No space left on device", failure.Message);
        Assert.Equal("old\n", Content(output));
        Assert.Equal(["journeys", "out.jsonl"], Directory.EnumerateFileSystemEntries(_folder.Root).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Out_ToAFullDevice_IsAnErrorSayingSoWithExit1()
    {
        var events = _folder.Write("events.jsonl", Events);

        var (exit, stdout, stderr) = _folder.Run("simulate", _folder.Journeys, "--events", events, "--out", "/dev/full");

        Assert.Equal((1, ""), (exit, stdout));
        Assert.StartsWith("journeys: No space left on device", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Events_ANamedPipe_IsRefusedAtOnceNotWaitedOn()
    {
        var fifo = SpecialFiles.Fifo(_folder.PathOf("events.jsonl"));

        var (exit, stdout, stderr) = Budget.Within(() => _folder.Run("simulate", _folder.Journeys, "--events", fifo));

        Assert.Equal((1, "", $"{fifo}:0:0: cannot read file: it is a named pipe (FIFO), not a regular file\n"), (exit, stdout, stderr));
    }

    [Fact]
    public void Events_ALinkToDevZero_IsRefusedAtOnce()
    {
        var zero = SpecialFiles.Link(_folder.PathOf("events.jsonl"), "/dev/zero");

        var (exit, _, stderr) = Budget.Within(() => _folder.Run("simulate", _folder.Journeys, "--events", zero));

        Assert.Equal((1, $"{zero}:0:0: cannot read file: it is a device, not a regular file\n"), (exit, stderr));
    }

    private static void HardLink(string existing, string link)
    {
        using var ln = System.Diagnostics.Process.Start("ln", [existing, link])!;
        ln.WaitForExit();
        Assert.Equal(0, ln.ExitCode);
    }
}
