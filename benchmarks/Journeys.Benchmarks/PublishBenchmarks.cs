using BenchmarkDotNet.Attributes;
using Journeys.Engine;
using Journeys.State;

namespace Journeys.Benchmarks;

/// <summary>The public API as an application calls it: <see cref="JourneyEngine.PublishAsync(CustomerEvent, CancellationToken)"/>
/// one event at a time, awaited, from one producer thread or from four at once, with a reader observing every decision
/// (<see cref="JourneyEngine.SubscribeBatches"/>). The engine has a partition per core, the sample journeys, 100,000
/// identified customers and the ingest mix; each invoke publishes 200,000 events and drains.</summary>
[MemoryDiagnoser]
public class PublishBenchmarks
{
    private const int EventsPerInvoke = 200_000;
    private const int Customers = 100_000;

    [Params(1, 4)]
    public int Producers { get; set; } = 1;

    private JourneyEngine _engine = null!;
    private CustomerEvent[][] _slices = null!;
    private IDisposable _reader = null!;
    private long _observed;

    [GlobalSetup]
    public void Setup()
    {
        _engine = new JourneyEngineBuilder()
            .UseCatalog(SampleWorkload.Catalog()).AddActions(SampleWorkload.Actions())
            .AddChannel(new SendBurstBenchmarks.NullChannel(Delivery.RecordingChannel.AnyName))
            .WithPartitions(Environment.ProcessorCount)
            .Build().StartAsync().GetAwaiter().GetResult();
        _reader = _engine.SubscribeBatches(batch => Interlocked.Add(ref _observed, batch.Count));
        for (var i = 0; i < Customers; i++)
        {
            _engine.Identify(new CustomerProfile(SampleWorkload.CustomerId(i), new Dictionary<string, object?> { ["spend12m"] = (double)(i % 97 * 100) }));
        }

        var mix = SampleWorkload.Events(EventsPerInvoke, Customers);
        _slices = Enumerable.Range(0, Producers).Select(p => mix.Where((_, i) => i % Producers == p).ToArray()).ToArray();
        Publish();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _reader.Dispose();
        _engine.StopAsync().GetAwaiter().GetResult();
    }

    /// <summary>Each producer publishes its share one event at a time, awaiting each; then the engine drains.</summary>
    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public long Publish()
    {
        if (Producers == 1)
        {
            Produce(_slices[0]).GetAwaiter().GetResult();
        }
        else
        {
            Task.WaitAll(_slices.Select(slice => Task.Run(() => Produce(slice))).ToArray());
        }

        _engine.DrainAsync().GetAwaiter().GetResult();
        return Interlocked.Read(ref _observed);
    }

    /// <summary>`probe publish`: the same scenario timed with a stopwatch, 1 and 4 producers, <paramref name="rounds"/>
    /// invokes each, printing per event the time and the process's CPU time (the figure to compare on a loaded host), and the GC collections of each (for <c>perf record</c>).</summary>
    public static void Probe(int rounds)
    {
        foreach (var producers in new[] { 1, 4 })
        {
            var bench = new PublishBenchmarks { Producers = producers };
            bench.Setup();
            for (var round = 0; round < rounds; round++)
            {
                var gcs = GC.CollectionCount(0);
                var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
                var sw = System.Diagnostics.Stopwatch.StartNew();
                bench.Publish();
                var wall = sw.Elapsed.TotalNanoseconds / EventsPerInvoke;
                cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu;
                Console.WriteLine($"{producers} producer(s): {wall:F0} ns/event, CPU {cpu.TotalNanoseconds / EventsPerInvoke:F0} ns/event (all threads), {GC.CollectionCount(0) - gcs} gen0 collections");
            }

            bench.Cleanup();
        }
    }

    private async Task Produce(CustomerEvent[] events)
    {
        foreach (var e in events)
        {
            await _engine.PublishAsync(e).ConfigureAwait(false);
        }
    }
}
