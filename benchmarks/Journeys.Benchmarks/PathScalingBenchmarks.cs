using BenchmarkDotNet.Attributes;
using Journeys.Compilation;
using Journeys.Engine;
using Journeys.State;

namespace Journeys.Benchmarks;

/// <summary>The per-event path alone across cores: the event mix at 1,000,000 customers applied by one partition's
/// processor on one thread, and by two partitions' processors on two threads at once, each applying its half of the
/// mix (routed as the engine routes, <see cref="JourneyEngine.PartitionOf"/>), in batches with prefetching as partition
/// workers apply them. Reported per event of the whole mix, so the ratio of the two cases is how the path scales with
/// partitions before queues, a publisher and delivery share the cores (<see cref="ScalingBenchmarks"/> measures the
/// whole engine).</summary>
[MemoryDiagnoser]
public class PathScalingBenchmarks
{
    private const int EventsPerInvoke = 200_000;
    private const int Customers = 1_000_000;

    [Params(1, 2)]
    public int Partitions { get; set; }

    private PartitionProcessor[] _processors = null!;
    private CustomerEvent[][] _shares = null!;
    private long[] _now = null!;
    private long[][] _times = null!;
    private Barrier? _start;
    private Thread[] _threads = [];
    private volatile bool _stopping;

    [GlobalSetup]
    public void Setup()
    {
        var catalog = SampleWorkload.Catalog();
        var mix = SampleWorkload.Events(EventsPerInvoke, Customers);
        _processors = new PartitionProcessor[Partitions];
        _shares = new CustomerEvent[Partitions][];
        _now = new long[Partitions];
        _times = new long[Partitions][];
        for (var p = 0; p < Partitions; p++)
        {
            var partition = p;
            _processors[p] = new PartitionProcessor(new RuntimeModel(catalog), new SampleWorkload.CountingSink(), _ => { });
            SampleWorkload.Identify(_processors[p], Customers, SampleWorkload.Start.UtcTicks,
                id => JourneyEngine.PartitionOf(id, Partitions) == partition);
            _shares[p] = mix.Where(e => JourneyEngine.PartitionOf(e.CustomerId, Partitions) == partition).ToArray();
            _times[p] = new long[Partition.MaxEventBatch];
            _now[p] = SampleWorkload.ProcessInBatches(_processors[p], _shares[p], SampleWorkload.Start.UtcTicks, _times[p]); // warm
        }

        if (Partitions > 1)
        {
            // Worker threads of their own, started once and released together for each invocation, as partition
            // workers wait on their queues: no thread is created inside the measurement.
            _start = new Barrier(Partitions);
            _threads = Enumerable.Range(1, Partitions - 1).Select(p => new Thread(() => Work(p)) { IsBackground = true }).ToArray();
            foreach (var thread in _threads)
            {
                thread.Start();
            }
        }
    }

    private void Work(int partition)
    {
        while (true)
        {
            _start!.SignalAndWait(); // the invocation begins
            if (_stopping)
            {
                return;
            }

            Apply(partition);
            _start.SignalAndWait(); // and ends
        }
    }

    private void Apply(int partition) =>
        _now[partition] = SampleWorkload.ProcessInBatches(_processors[partition], _shares[partition], _now[partition], _times[partition]);

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_start is { } start)
        {
            _stopping = true;
            start.SignalAndWait();
            foreach (var thread in _threads)
            {
                thread.Join();
            }
        }
    }

    /// <summary>The mix, each partition's share applied by its own thread (partition 0's by the benchmark's thread).</summary>
    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public void Mix()
    {
        _start?.SignalAndWait();
        Apply(0);
        _start?.SignalAndWait();
    }
}
