using System.Text.Json;
using BenchmarkDotNet.Attributes;

namespace Journeys.Benchmarks;

/// <summary><c>journeys simulate</c> end to end — JSON lines in, decisions out to a file — over the send-heavy
/// <see cref="UserWorkload"/> (1,000,000 lines, 100,000 customers, a third of the lines leading to a send), beside the
/// plainest thing that reads the same file: each line parsed with <see cref="JsonDocument"/> and counted. The ratio of
/// the two is what CI guards (<see cref="CiJob"/>): it says how much the run costs over merely reading its input, and
/// does not move with the machine's speed the way an absolute time does.</summary>
[MemoryDiagnoser]
[WarmupCount(1)] // one operation is a whole run: one warm-up is enough, and keeps the CI job short
public class SimulateBenchmarks
{
    /// <summary>Lines of the events file.</summary>
    public const int Lines = 1_000_000;

    private UserWorkload _workload = null!;
    private string _out = null!;

    [GlobalSetup]
    public void Setup()
    {
        _workload = UserWorkload.Create(Lines, customers: 100_000);
        _out = Path.Combine(_workload.Root, "decisions.jsonl");
    }

    [GlobalCleanup]
    public void Cleanup() => _workload.Delete();

    /// <summary>The baseline: every line of the file parsed with <see cref="JsonDocument"/>, its <c>type</c> read, counted.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Lines)]
    public int JsonDocumentCount() => CountEvents(_workload.Events);

    /// <summary><c>journeys simulate FOLDER --events FILE --out FILE</c>, in process.</summary>
    [Benchmark(OperationsPerInvoke = Lines)]
    public int Simulate() => Simulate(_workload, _out);

    internal static int Simulate(UserWorkload workload, string output)
    {
        var stderr = new StringWriter();
        var exit = Cli.JourneysCommand.Run(["simulate", workload.Folder, "--events", workload.Events, "--out", output], TextWriter.Null, stderr);
        return exit == 0 ? exit : throw new InvalidOperationException("simulate failed: " + stderr);
    }

    internal static int CountEvents(string path)
    {
        var count = 0;
        foreach (var line in File.ReadLines(path))
        {
            using var json = JsonDocument.Parse(line);
            if (json.RootElement.TryGetProperty("type", out _))
            {
                count++;
            }
        }

        return count;
    }
}
