using System.Diagnostics;
using Journeys.Interchange;

namespace Journeys.Benchmarks;

/// <summary>`probe simulate`: <c>journeys simulate</c> over the send-heavy <see cref="UserWorkload"/> file of
/// <see cref="SimulateBenchmarks"/> (<c>PROBE_LINES</c> lines, default 1,000,000, over a tenth as many customers), with a
/// stopwatch, the process's CPU time (every thread's: the parse-ahead thread's too) and the bytes allocated by all
/// threads, per line, for <c>PROBE_ROUNDS</c> runs (default 3); beside it, once per round, the events file read alone
/// (<see cref="SegmentReader.ReadLines(string, Action{long})"/>, every line parsed into its input, as the run reads it)
/// and the file parsed with <see cref="System.Text.Json.JsonDocument"/> and counted (the CI baseline). With
/// <c>PROBE_ALLOC=1</c>, the run's allocations by type.</summary>
internal static class SimulateProbe
{
    public static void Run()
    {
        var lines = int.TryParse(Environment.GetEnvironmentVariable("PROBE_LINES"), out var pl) ? pl : SimulateBenchmarks.Lines;
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("PROBE_ROUNDS"), out var pr) ? pr : 3;
        var workload = UserWorkload.Create(lines, customers: Math.Max(1, lines / 10));
        var output = Path.Combine(workload.Root, "decisions.jsonl");
        try
        {
            using var allocations = Environment.GetEnvironmentVariable("PROBE_ALLOC") == "1" ? new SendProbe.AllocationSampler() : null;
            for (var r = 0; r < rounds; r++)
            {
                Measure("simulate", lines, () => SimulateBenchmarks.Simulate(workload, output));
                Measure("read only", lines, () => SegmentReader.ReadLines(workload.Events).Count(l => l.Input is not null));
                Measure("JsonDocument count", lines, () => SimulateBenchmarks.CountEvents(workload.Events));
            }

            allocations?.Print();
            Console.WriteLine($"decisions written: {File.ReadLines(output).Count():N0}");
        }
        finally
        {
            workload.Delete();
        }
    }

    private static void Measure(string what, int lines, Func<int> run)
    {
        var bytes = GC.GetTotalAllocatedBytes(precise: true);
        var gcs = GC.CollectionCount(0);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        run();
        watch.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine($"{what,-20} {watch.Elapsed.TotalNanoseconds / lines,7:F0} ns ({cpu.TotalNanoseconds / lines,7:F0} ns CPU) and " +
            $"{(GC.GetTotalAllocatedBytes(precise: true) - bytes) / (double)lines,6:F0} B per line, {GC.CollectionCount(0) - gcs} gen0 collections");
    }
}
