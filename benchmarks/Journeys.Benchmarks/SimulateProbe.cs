using System.Diagnostics;
using Journeys.Interchange;

namespace Journeys.Benchmarks;

/// <summary>`probe simulate`: <c>journeys simulate</c> over the send-heavy <see cref="UserWorkload"/> file of
/// <see cref="SimulateBenchmarks"/> (<c>PROBE_LINES</c> lines, default 1,000,000, over a tenth as many customers), with a
/// stopwatch, the process's CPU time (every thread's: the parse-ahead thread's too) and the bytes allocated by all
/// threads, per line, for <c>PROBE_ROUNDS</c> runs (default 3); beside it, once per round, the events file read alone
/// (<see cref="SegmentReader.ReadLines(string, Action{long})"/>, every line parsed into its input, as the run reads it)
/// and the file parsed with <see cref="System.Text.Json.JsonDocument"/> and counted (the CI baseline). With
/// <c>PROBE_ALLOC=1</c>, the run's allocations by type. <c>PROBE_OUT=/dev/null</c> (or another device) runs simulate
/// with <c>--out</c> that device, the way stdout is written, instead of a file written whole; with it,
/// <c>PROBE_SPOOL_MEMORY=BYTES</c> holds that much of the spooled decisions in memory (default: simulate's own).</summary>
internal static class SimulateProbe
{
    public static void Run()
    {
        var lines = int.TryParse(Environment.GetEnvironmentVariable("PROBE_LINES"), out var pl) ? pl : SimulateBenchmarks.Lines;
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("PROBE_ROUNDS"), out var pr) ? pr : 3;
        var workload = UserWorkload.Create(lines, customers: Math.Max(1, lines / 10));
        var device = Environment.GetEnvironmentVariable("PROBE_OUT") is { Length: > 0 } named ? named : null;
        var output = device ?? Path.Combine(workload.Root, "decisions.jsonl");
        var spoolMemory = long.TryParse(Environment.GetEnvironmentVariable("PROBE_SPOOL_MEMORY"), out var sm) ? sm : (long?)null;
        try
        {
            using var allocations = Environment.GetEnvironmentVariable("PROBE_ALLOC") == "1" ? new SendProbe.AllocationSampler() : null;
            for (var r = 0; r < rounds; r++)
            {
                Measure(device is null ? "simulate" : "simulate to " + device, lines, () => device is not null && spoolMemory is { } memory
                    ? Cli.SimulateCommand.SimulateSpooled(workload.Folder, workload.Events, null, null, Cli.SimulateCommand.Target.Of(device), TextWriter.Null, memory)
                    : SimulateBenchmarks.Simulate(workload, output));
                Measure("read only", lines, () => SegmentReader.ReadLines(workload.Events).Count(l => l.Input is not null));
                Measure("JsonDocument count", lines, () => SimulateBenchmarks.CountEvents(workload.Events));
            }

            allocations?.Print();
            if (device is null)
            {
                Console.WriteLine($"decisions written: {File.ReadLines(output).Count():N0}");
            }
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
