using System.Diagnostics;
using Journeys.Compilation;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.State;

namespace Journeys.Benchmarks;

/// <summary>A quick stopwatch probe (not a benchmark): `dotnet run -c Release -- probe` prints ns/event for variants,
/// to see where the per-event time goes before writing a proper benchmark for it.</summary>
internal static class Probe
{
    public static void Run(string? only = null)
    {
        if (only == "scale")
        {
            var catalog = SampleWorkload.Catalog();
            foreach (var customers in new[] { 10_000, 100_000, 1_000_000 })
            {
                Measure($"sample journeys, {customers:N0} customers", catalog, customers);
                MeasureBatch(catalog, customers);
            }

            return;
        }

        if (only == "schedule")
        {
            ScheduleProbe.Run();
            return;
        }

        if (only == "publish")
        {
            PublishBenchmarks.Probe(int.TryParse(Environment.GetEnvironmentVariable("PROBE_ROUNDS"), out var rounds) ? rounds : 10);
            return;
        }

        if (only == "journeys")
        {
            Journeys();
            return;
        }

        if (only == "types")
        {
            var population = int.TryParse(Environment.GetEnvironmentVariable("PROBE_CUSTOMERS"), out var pc) ? pc : 20_000;
            var processor = SampleWorkload.Population(SampleWorkload.Catalog(), population);
            var now = SampleWorkload.Start.UtcTicks;
            var mix = SampleWorkload.Events(1_000_000, population);
            foreach (var e in mix)
            {
                processor.Process(e, now += TimeSpan.TicksPerSecond);
            }

            if (Environment.GetEnvironmentVariable("PROBE_TYPE") is { Length: > 0 } only1)
            {
                var events1 = mix.Where(e => e.Type == only1).ToArray();
                var rounds = int.TryParse(Environment.GetEnvironmentVariable("PROBE_ROUNDS"), out var pr) ? pr : 20;
                for (var r = 0; r < rounds; r++)
                {
                    foreach (var e in events1)
                    {
                        processor.Process(e, now += TimeSpan.TicksPerMillisecond);
                    }
                }

                return;
            }

            var total = 0.0;
            foreach (var group in mix.GroupBy(e => e.Type))
            {
                var events = group.ToArray();
                var sw = Stopwatch.StartNew();
                foreach (var e in events)
                {
                    processor.Process(e, now += TimeSpan.TicksPerMillisecond);
                }

                var ns = sw.Elapsed.TotalNanoseconds;
                total += ns;
                Console.WriteLine($"{group.Key,-16} {events.Length,8:N0} events {ns / events.Length,9:F1} ns/event  {ns / 1e6,7:F1} ms");
            }

            Console.WriteLine($"all: {total / mix.Length:F1} ns/event");
            return;
        }

        if (only == "partitions")
        {
            // PROBE_CUSTOMERS picks one population; the process's CPU time per event and the cores it got on average
            // (CPU time over wall time) tell a host that lends a second core only part of the time from a partition
            // that costs more per event.
            var populations = int.TryParse(Environment.GetEnvironmentVariable("PROBE_CUSTOMERS"), out var only1) ? new[] { only1 } : new[] { 100_000, 1_000_000 };
            foreach (var customers in populations)
            {
                var results = new double[3];
                for (var round = 0; round < 2; round++)
                {
                    foreach (var partitions in new[] { 1, 2 })
                    {
                        var channel = new ScalingBenchmarks.NullChannel();
                        var engine = new JourneyEngineBuilder().UseCatalog(SampleWorkload.Catalog()).AddActions(SampleWorkload.Actions())
                            .AddChannel(channel).WithPartitions(partitions).Build().Start();
                        for (var i = 0; i < customers; i++)
                        {
                            engine.Identify(new CustomerProfile(SampleWorkload.CustomerId(i), new Dictionary<string, object?> { ["spend12m"] = (double)(i % 97 * 100) }));
                        }

                        var mix = SampleWorkload.Events(1_000_000, customers);
                        foreach (var e in mix)
                        {
                            engine.Publish(e);
                        }

                        engine.DrainAsync().GetAwaiter().GetResult();
                        var sentBefore = channel.Sent;
                        var pausedBefore = GC.GetTotalPauseDuration();
                        var gcsBefore = GC.CollectionCount(0);
                        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                        var sw = Stopwatch.StartNew();
                        if (Environment.GetEnvironmentVariable("PROBE_ONE_BY_ONE") is { Length: > 0 })
                        {
                            foreach (var e in mix)
                            {
                                engine.Publish(e);
                            }
                        }
                        else
                        {
                            for (var i = 0; i < mix.Length; i += 1_000)
                            {
                                engine.Publish(new ArraySegment<CustomerEvent>(mix, i, Math.Min(1_000, mix.Length - i)));
                            }
                        }

                        var published = sw.Elapsed.TotalNanoseconds / mix.Length;
                        engine.DrainAsync().GetAwaiter().GetResult();
                        var ns = sw.Elapsed.TotalNanoseconds / mix.Length;
                        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalNanoseconds / mix.Length;
                        var paused = (GC.GetTotalPauseDuration() - pausedBefore).TotalNanoseconds / mix.Length;
                        Console.WriteLine($"  {partitions} partition(s): publishing took {published:F0} ns/event of {ns:F0}; CPU {cpu:F0} ns/event (all threads: {cpu / ns:F2} cores on average); GC pauses {paused:F0} ns/event, {GC.CollectionCount(0) - gcsBefore} collections; {channel.Sent - sentBefore:N0} messages delivered");
                        results[partitions] = round == 0 ? ns : Math.Min(results[partitions], ns);
                        engine.StopAsync().GetAwaiter().GetResult();
                    }
                }

                Console.WriteLine($"{customers,10:N0} customers: 1 partition {results[1]:F0} ns/event, 2 partitions {results[2]:F0} ns/event ({results[1] / results[2]:F2}x)");
            }

            return;
        }

        if (only == "processors")
        {
            // Two processors on two threads, each applying its half of the mix (routed as the engine routes), against one
            // processor applying all of it: the scaling of the per-event path alone, without queues, publisher or lanes.
            var customers = int.TryParse(Environment.GetEnvironmentVariable("PROBE_CUSTOMERS"), out var pc2) ? pc2 : 1_000_000;
            var catalog = SampleWorkload.Catalog();
            var mix = SampleWorkload.Events(1_000_000, customers);
            for (var round = 0; round < 2; round++)
            {
                var one = SampleWorkload.Population(catalog, customers);
                var halves = Enumerable.Range(0, 2).Select(p => mix.Where(e => JourneyEngine.PartitionOf(e.CustomerId, 2) == p).ToArray()).ToArray();
                var two = Enumerable.Range(0, 2).Select(p => new PartitionProcessor(new RuntimeModel(catalog), new SampleWorkload.CountingSink(), _ => { })).ToArray();
                for (var p = 0; p < 2; p++)
                {
                    var partition = p;
                    SampleWorkload.Identify(two[p], customers, SampleWorkload.Start.UtcTicks, id => JourneyEngine.PartitionOf(id, 2) == partition);
                }

                var start = SampleWorkload.Start.UtcTicks;
                SampleWorkload.ProcessInBatches(one, mix, start, new long[Partition.MaxEventBatch]);
                var sw = Stopwatch.StartNew();
                SampleWorkload.ProcessInBatches(one, mix, start + TimeSpan.TicksPerHour, new long[Partition.MaxEventBatch]);
                var single = sw.Elapsed.TotalNanoseconds / mix.Length;
                for (var p = 0; p < 2; p++)
                {
                    SampleWorkload.ProcessInBatches(two[p], halves[p], start, new long[Partition.MaxEventBatch]);
                }

                var pausedBefore = GC.GetTotalPauseDuration();
                sw.Restart();
                var threads = Enumerable.Range(0, 2).Select(p => new Thread(() =>
                    SampleWorkload.ProcessInBatches(two[p], halves[p], start + TimeSpan.TicksPerHour, new long[Partition.MaxEventBatch]))).ToList();
                threads.ForEach(t => t.Start());
                threads.ForEach(t => t.Join());
                var pair = sw.Elapsed.TotalNanoseconds / mix.Length;
                var paused = (GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds;
                Console.WriteLine($"{customers:N0} customers: one processor {single:F0} ns/event, two on two threads {pair:F0} ns/event ({single / pair:F2}x); GC pauses during the pair {paused:F0} ms");
            }

            return;
        }

        if (only == "mlp")
        {
            // The machine, not the engine: independent random reads over 512 MB, one thread alone and then two threads at
            // once, each on its own array. How much two cores gain on memory-bound work bounds what two partitions can.
            const long size = 512L << 20;
            var arrays = new[] { new long[size / 8], new long[size / 8] };
            foreach (var array in arrays)
            {
                for (var i = 0; i < array.Length; i += 512)
                {
                    array[i] = i; // touch every page: untouched pages all read the one shared zero page
                }
            }

            var reads = Enumerable.Range(0, 2).Select(t =>
            {
                var random = new Random(t + 1);
                return Enumerable.Range(0, 8_000_000).Select(_ => random.NextInt64(size / 8)).ToArray();
            }).ToArray();
            double Read(int t)
            {
                var (array, at) = (arrays[t], reads[t]);
                long sum = 0;
                var sw = Stopwatch.StartNew();
                for (var i = 0; i < at.Length; i++)
                {
                    sum += array[at[i]];
                }

                GC.KeepAlive(sum);
                return sw.Elapsed.TotalNanoseconds / at.Length;
            }

            for (var round = 0; round < 3; round++)
            {
                var alone = Read(0);
                var both = new double[2];
                var threads = Enumerable.Range(0, 2).Select(t => new Thread(() => both[t] = Read(t))).ToList();
                threads.ForEach(t => t.Start());
                threads.ForEach(t => t.Join());
                Console.WriteLine($"random reads: one thread {alone:F1} ns each; two threads {both[0]:F1} and {both[1]:F1} ns each: {2 * alone / both.Average():F2}x the throughput");
            }

            // Work that touches no memory (a xorshift loop in registers), one thread against two: whether the two cores
            // are cores of their own (about 2x) or share one (about 1x), apart from what memory adds.
            static double Spin(int seed)
            {
                var x = (ulong)seed | 1;
                var sw = Stopwatch.StartNew();
                for (var i = 0; i < 200_000_000; i++)
                {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                }

                GC.KeepAlive(x);
                return sw.Elapsed.TotalNanoseconds / 200_000_000;
            }

            for (var round = 0; round < 3; round++)
            {
                var alone = Spin(1);
                var both = new double[2];
                var threads = Enumerable.Range(0, 2).Select(t => new Thread(() => both[t] = Spin(t + 2))).ToList();
                threads.ForEach(t => t.Start());
                threads.ForEach(t => t.Join());
                Console.WriteLine($"registers only: one thread {alone:F2} ns a step; two threads {both[0]:F2} and {both[1]:F2} ns: {2 * alone / both.Average():F2}x the throughput");
            }

            return;
        }

        if (only == "memory")
        {
            MemoryBenchmarks.Probe();
            return;
        }

        if (only == "sizes")
        {
            var processor = SampleWorkload.Population(SampleWorkload.Catalog(), 20_000);
            var now = SampleWorkload.Start.UtcTicks;
            var times = new long[Partition.MaxEventBatch];
            SampleWorkload.ProcessInBatches(processor, SampleWorkload.Events(1_000_000, 20_000), now, times);
            Sizer.Report(processor.Customers);
            return;
        }

        if (only == "loop20k")
        {
            var population = int.TryParse(Environment.GetEnvironmentVariable("PROBE_CUSTOMERS"), out var pc) ? pc : 20_000;
            var processor = SampleWorkload.Population(SampleWorkload.Catalog(), population);
            var now = SampleWorkload.Start.UtcTicks;
            var count = int.TryParse(Environment.GetEnvironmentVariable("PROBE_EVENTS"), out var pe) ? pe : 1_000_000;
            var mix = SampleWorkload.Events(count, population);
            var times = new long[Partition.MaxEventBatch];
            now = SampleWorkload.ProcessInBatches(processor, mix, now, times);
            if (Environment.GetEnvironmentVariable("PROBE_IDLE") is { Length: > 0 })
            {
                mix = SampleWorkload.Idle(count, population); // page views only
            }

            // Settle the heap first: the first collection after set-up promotes every customer, a one-off pause of a
            // few hundred milliseconds at a million customers that would land in the measurement or not by chance.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Console.WriteLine("measuring");
            var (allocated, gen0, gen1, gen2) = (GC.GetTotalAllocatedBytes(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var sw = Stopwatch.StartNew();
            var loops = int.TryParse(Environment.GetEnvironmentVariable("PROBE_ROUNDS"), out var lr) ? lr : 10;
            for (var r = 0; r < loops; r++)
            {
                now = SampleWorkload.ProcessInBatches(processor, mix, now, times);
            }

            Console.WriteLine($"allocated {(GC.GetTotalAllocatedBytes() - allocated) / (double)mix.Length / loops:F1} B/event, collections gen0 {GC.CollectionCount(0) - gen0}, gen1 {GC.CollectionCount(1) - gen1}, gen2 {GC.CollectionCount(2) - gen2}");
            Console.WriteLine($"{sw.Elapsed.TotalNanoseconds / mix.Length / loops:F1} ns/event");
            return;
        }

        if (only == "batch")
        {
            MeasureBatch(SampleWorkload.Catalog(), 100_000);
            MeasureBatch(SampleWorkload.Catalog(), 1_000_000);
            return;
        }

        if (only == "mix")
        {
            Measure("sample journeys", SampleWorkload.Catalog(), 100_000, rounds: 10);
            return;
        }

        var full = SampleWorkload.Catalog();
        Measure("sample journeys", full, 100_000);
        var folder = SampleWorkload.FindSamples();
        var noWhen = JourneyLoader.LoadYaml(Directory.GetFiles(folder, "*.yaml")
            .Where(f => !f.EndsWith("value-boost.yaml", StringComparison.Ordinal) && !f.EndsWith("policy.yaml", StringComparison.Ordinal))
            .Select(f => (Path.GetFileName(f), File.ReadAllText(f))).ToArray()).ThrowIfInvalid();
        Measure("without value-boost and policy", noWhen, 100_000);
        var noTemplates = JourneyLoader.LoadYaml(Directory.GetFiles(folder, "*.yaml").Select(f => (Path.GetFileName(f), File.ReadAllText(f))).ToArray());
        Measure("sample journeys, no templates, no rules", noTemplates, 100_000);
        Measure("sample journeys, 1,000 customers", full, 1_000);
    }

    /// <summary>How cost grows with journeys and with events (<c>probe journeys</c>): the sample folder with its five
    /// journeys copied 1, 2, 4 and 8 times under new ids (so a customer is in up to eight times as many journeys, entered
    /// by the same events), at <c>PROBE_CUSTOMERS</c> customers (default 100,000): the batched mix and idle events, and
    /// the memory benchmark's retained bytes per customer; then, for the sample folder, the mix pass after pass while each
    /// customer's history grows.</summary>
    private static void Journeys()
    {
        var customers = int.TryParse(Environment.GetEnvironmentVariable("PROBE_CUSTOMERS"), out var pc) ? pc : 100_000;
        var samples = SampleWorkload.FindSamples();
        var times = new long[Partition.MaxEventBatch];
        Console.WriteLine($"{customers:N0} customers; mix and idle batched, best of 3 passes of 1,000,000 events");
        MeasureJourneys(samples, 1, customers); // a warm-up: the first pass also compiles the hot paths
        foreach (var copies in new[] { 1, 2, 4, 8 })
        {
            Console.WriteLine(MeasureJourneys(samples, copies, customers));
        }

        {
            var processor = SampleWorkload.Population(SampleWorkload.Catalog(), customers);
            var now = SampleWorkload.Start.UtcTicks;
            var mix = SampleWorkload.Events(1_000_000, customers);
            var applied = 0L;
            Console.WriteLine("sample journeys, the same mix pass after pass (1 ms apart, so each customer's history grows):");
            for (var pass = 1; pass <= 16; pass++)
            {
                var sw = Stopwatch.StartNew();
                now = SampleWorkload.ProcessInBatches(processor, mix, now, times);
                applied += mix.Length;
                if ((pass & (pass - 1)) == 0)
                {
                    Console.WriteLine($"  after {applied / 1e6,4:F0}M events ({applied / (double)customers,5:F0} per customer): {sw.Elapsed.TotalNanoseconds / mix.Length,6:F1} ns/event in the last pass");
                }
            }
        }
    }

    /// <summary>One row of <c>probe journeys</c>: the sample folder with its journeys <paramref name="copies"/> times. A
    /// method of its own, so that nothing of one row is still referenced while the next measures retained bytes.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static string MeasureJourneys(string samples, int copies, int customers)
    {
        var times = new long[Partition.MaxEventBatch];
        var folder = Path.Combine(Path.GetTempPath(), $"journeys-probe-{Environment.ProcessId}-{copies}");
        CopyFolder(samples, folder);
        var yaml = Directory.GetFiles(samples, "*.yaml").Where(f => Path.GetFileName(f) != "policy.yaml").ToArray();
        for (var copy = 2; copy <= copies; copy++)
        {
            foreach (var file in yaml)
            {
                var text = System.Text.RegularExpressions.Regex.Replace(
                    File.ReadAllText(file), @"^journey:\s*(\S+)", m => $"journey: {m.Groups[1].Value}-copy{copy}",
                    System.Text.RegularExpressions.RegexOptions.Multiline);
                File.WriteAllText(Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(file)}-copy{copy}.yaml"), text);
            }
        }

        var catalog = JourneyLoader.LoadFolder(folder).ThrowIfInvalid();
        Directory.Delete(folder, recursive: true);

        var model = new RuntimeModel(catalog);
        var (signups, activity) = MemoryBenchmarks.PopulationEvents(customers);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var populated = MemoryBenchmarks.Populate(model, signups, activity);
        var bytes = (GC.GetTotalMemory(forceFullCollection: true) - before) / (double)customers;
        var timers = populated.PendingTimers / (double)customers;
        GC.KeepAlive(populated);

        var processor = SampleWorkload.Population(catalog, customers);
        var now = SampleWorkload.Start.UtcTicks;
        var mix = SampleWorkload.Events(1_000_000, customers);
        var idle = SampleWorkload.Idle(1_000_000, customers);
        now = SampleWorkload.ProcessInBatches(processor, mix, now, times);
        GC.Collect();
        var (bestMix, bestIdle) = (double.MaxValue, double.MaxValue);
        for (var round = 0; round < 3; round++)
        {
            var sw = Stopwatch.StartNew();
            now = SampleWorkload.ProcessInBatches(processor, mix, now, times);
            bestMix = Math.Min(bestMix, sw.Elapsed.TotalNanoseconds / mix.Length);
            sw.Restart();
            now = SampleWorkload.ProcessInBatches(processor, idle, now, times);
            bestIdle = Math.Min(bestIdle, sw.Elapsed.TotalNanoseconds / idle.Length);
        }

        return ($"{catalog.Journeys.Count,3} journeys: mix {bestMix,6:F1} ns/event, idle {bestIdle,6:F1} ns/event, {bytes,6:F0} B retained per customer ({timers:F2} timers each)");
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(dir.Replace(from, to, StringComparison.Ordinal));
        }

        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal), overwrite: true);
        }
    }

    private static void Measure(string name, JourneyCatalog catalog, int customers, int rounds = 3)
    {
        var processor = SampleWorkload.Population(catalog, customers);
        var now = SampleWorkload.Start.UtcTicks;
        var mix = SampleWorkload.Events(1_000_000, customers);
        var idle = SampleWorkload.Idle(1_000_000, customers);
        foreach (var e in mix)
        {
            processor.Process(e, now += TimeSpan.TicksPerSecond);
        }

        foreach (var (label, events) in new[] { ("mix", mix), ("idle", idle) })
        {
            var best = double.MaxValue;
            for (var round = 0; round < rounds; round++)
            {
                var sw = Stopwatch.StartNew();
                foreach (var e in events)
                {
                    processor.Process(e, now += TimeSpan.TicksPerMillisecond);
                }

                best = Math.Min(best, sw.Elapsed.TotalNanoseconds / events.Length);
            }

            Console.WriteLine($"{name,-40} {label,-5} {best,8:F1} ns/event");
        }
    }

    /// <summary>Process one by one against ProcessBatch (prefetching), alternating in one run.</summary>
    private static void MeasureBatch(JourneyCatalog catalog, int customers)
    {
        var processor = SampleWorkload.Population(catalog, customers);
        var now = SampleWorkload.Start.UtcTicks;
        var mix = SampleWorkload.Events(1_000_000, customers);
        foreach (var e in mix)
        {
            processor.Process(e, now += TimeSpan.TicksPerSecond);
        }

        var times = new long[Partition.MaxEventBatch];
        var (single, batched) = (double.MaxValue, double.MaxValue);
        for (var round = 0; round < 4; round++)
        {
            var sw = Stopwatch.StartNew();
            foreach (var e in mix)
            {
                processor.Process(e, now += TimeSpan.TicksPerMillisecond);
            }

            single = Math.Min(single, sw.Elapsed.TotalNanoseconds / mix.Length);
            sw.Restart();
            now = SampleWorkload.ProcessInBatches(processor, mix, now, times);
            batched = Math.Min(batched, sw.Elapsed.TotalNanoseconds / mix.Length);
        }

        Console.WriteLine($"{customers,10:N0} customers: one by one {single,7:F1} ns/event, batched with prefetch {batched,7:F1} ns/event ({single / batched:F2}x)");
    }
}
