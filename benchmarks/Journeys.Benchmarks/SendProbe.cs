using System.Diagnostics;
using Journeys.Compilation;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.State;

namespace Journeys.Benchmarks;

/// <summary>`probe sends`: the send burst of <see cref="SendBurstBenchmarks"/> with a stopwatch and the thread's
/// allocation counter, with and without the journey folder's templates (so the render's share shows), over
/// <c>PROBE_CUSTOMERS</c> customers (default 200,000) and <c>PROBE_ROUNDS</c> bursts (default 5). Prints wall time and
/// the process's CPU time per send (on a loaded host the second is the steadier), bytes allocated per send, and with
/// <c>PROBE_ALLOC=1</c> the allocations by type (the runtime's allocation ticks).</summary>
internal static class SendProbe
{
    public static void Run()
    {
        var customers = int.TryParse(Environment.GetEnvironmentVariable("PROBE_CUSTOMERS"), out var pc) ? pc : 200_000;
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("PROBE_ROUNDS"), out var pr) ? pr : 5;
        foreach (var templates in new[] { true, false })
        {
            var workload = UserWorkload.Create(lines: 0, customers: 0);
            if (!templates)
            {
                Directory.Delete(Path.Combine(workload.Folder, "templates"), recursive: true);
            }

            var catalog = JourneyLoader.LoadFolder(workload.Folder).ThrowIfInvalid();
            workload.Delete();
            var channel = new SendBurstBenchmarks.NullChannel();
            var sink = new SampleWorkload.CountingSink();
            var processor = new PartitionProcessor(new RuntimeModel(catalog), sink,
                message => channel.SendAsync(message, CancellationToken.None).GetAwaiter().GetResult());
            var now = SampleWorkload.Start.UtcTicks;
            for (var i = 0; i < customers; i++)
            {
                processor.Identify(new CustomerProfile(SampleWorkload.CustomerId(i), new Dictionary<string, object?>
                {
                    ["firstName"] = "Li",
                    ["plan"] = "P-" + (i % 1000),
                }), now);
            }

            var pings = Enumerable.Range(0, customers).Select(i => new CustomerEvent(SampleWorkload.CustomerId(i), "ping")).ToArray();
            using var allocations = Environment.GetEnvironmentVariable("PROBE_ALLOC") == "1" ? new AllocationSampler() : null;
            for (var r = 0; r < rounds; r++)
            {
                now += TimeSpan.TicksPerHour;
                var bytes = GC.GetAllocatedBytesForCurrentThread();
                var gcs = GC.CollectionCount(0);
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                foreach (var ping in pings)
                {
                    processor.Process(ping, now);
                }

                watch.Stop();
                cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu; // the process's CPU time: what a loaded host's waiting leaves out
                Console.WriteLine($"{(templates ? "rendered" : "no templates")}, {customers:N0} sends: {watch.Elapsed.TotalNanoseconds / customers:F0} ns ({cpu.TotalNanoseconds / customers:F0} ns CPU) and " +
                    $"{(GC.GetAllocatedBytesForCurrentThread() - bytes) / (double)customers:F0} B per send, {GC.CollectionCount(0) - gcs} gen0 collections");
            }

            allocations?.Print();
        }
    }

    /// <summary>Samples allocations by type (the runtime's AllocationTick event, about one per 100 KB allocated).</summary>
    internal sealed class AllocationSampler : System.Diagnostics.Tracing.EventListener
    {
        private readonly Dictionary<string, long> _bytes = new();

        protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x1);
            }
        }

        protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs e)
        {
            if (e.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) == true && e.Payload is { } payload)
            {
                var name = e.PayloadNames!.IndexOf("TypeName") is var i and >= 0 ? payload[i] as string ?? "?" : "?";
                lock (_bytes)
                {
                    _bytes[name] = _bytes.GetValueOrDefault(name) + 100_000;
                }
            }
        }

        public void Print()
        {
            lock (_bytes)
            {
                var total = _bytes.Values.Sum();
                foreach (var (name, bytes) in _bytes.OrderByDescending(kv => kv.Value).Take(25))
                {
                    Console.WriteLine($"  {100.0 * bytes / total,5:F1}%  {name}");
                }
            }
        }
    }
}
