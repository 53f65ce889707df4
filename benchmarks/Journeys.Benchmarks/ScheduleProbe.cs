using System.Diagnostics;

namespace Journeys.Benchmarks;

/// <summary>`dotnet run -c Release --project benchmarks/Journeys.Benchmarks -- probe schedule`: the
/// <see cref="ScheduleBenchmarks"/> occurrence timed with a stopwatch and the process's CPU time (which a loaded host
/// inflates far less than the wall clock), split into the first zone's timer (it regroups every customer) and the rest.
/// PROBE_CUSTOMERS sets the count (default 1,000,000), PROBE_ROUNDS the rounds (default 3).</summary>
internal static class ScheduleProbe
{
    public static void Run()
    {
        var customers = int.TryParse(Environment.GetEnvironmentVariable("PROBE_CUSTOMERS"), out var c) ? c : 1_000_000;
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("PROBE_ROUNDS"), out var r) ? r : 3;
        var process = Process.GetCurrentProcess();
        Console.WriteLine($"{customers:N0} customers in {ScheduleBenchmarks.Zones.Length} zones; {Environment.ProcessorCount} cores, "
            + $"load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        for (var round = 0; round < rounds; round++)
        {
            var bench = new ScheduleBenchmarks { Customers = customers };
            bench.Setup();
            GC.Collect();
            var firstZone = SampleWorkload.Start.AddDays(-1).AddHours(20).UtcTicks; // Monday 10:00 at +14:00 (Kiritimati)
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            var alloc0 = GC.GetAllocatedBytesForCurrentThread();
            var gc0 = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2);
            var gen2 = GC.CollectionCount(2);
            var paused = GC.GetTotalPauseDuration();
            var sw = Stopwatch.StartNew();
            bench.AdvanceFirstZone(firstZone);
            var first = sw.Elapsed;
            var entered = bench.EnterOneOccurrence();
            var all = sw.Elapsed;
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpu0;
            var gcs = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2) - gc0;
            Console.WriteLine($"round {round + 1}: {all.TotalMilliseconds,8:F0} ms wall ({first.TotalMilliseconds:F0} ms to the first zone's timer), "
                + $"{cpu.TotalMilliseconds,8:F0} ms CPU, {entered:N0} decisions, "
                + $"{(GC.GetAllocatedBytesForCurrentThread() - alloc0) / 1e6:F0} MB allocated, {gcs} GCs ({GC.CollectionCount(2) - gen2} gen2), "
                + $"{(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:F0} ms paused for GC");
        }
    }
}
