using BenchmarkDotNet.Attributes;
using Journeys.Engine;
using Journeys.State;

namespace Journeys.Benchmarks;

/// <summary>The per-event path on one core: the sample journeys and policy over a warmed-up population, a realistic
/// event mix. Reported per event (OperationsPerInvoke).</summary>
[MemoryDiagnoser]
public class IngestBenchmarks
{
    private const int EventsPerInvoke = 200_000;

    [Params(1_000_000)]
    public int Customers { get; set; }

    private PartitionProcessor _processor = null!;
    private CustomerEvent[] _mix = null!;
    private CustomerEvent[] _idle = null!;
    private long _now;

    [GlobalSetup]
    public void Setup()
    {
        _processor = SampleWorkload.Population(SampleWorkload.Catalog(), Customers);
        _now = SampleWorkload.Start.UtcTicks;
        _mix = SampleWorkload.Events(EventsPerInvoke, Customers);
        _idle = SampleWorkload.Idle(EventsPerInvoke, Customers);
        foreach (var e in _mix)
        {
            _processor.Process(e, _now += TimeSpan.TicksPerSecond); // warm: customers enter, aggregates fill
        }
    }

    private readonly long[] _times = new long[Partition.MaxEventBatch];

    /// <summary>The realistic mix as a partition worker applies it: in batches, prefetching the customers ahead.</summary>
    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public void Mix() => _now = SampleWorkload.ProcessInBatches(_processor, _mix, _now, _times);

    /// <summary>The realistic mix applied one event at a time (no prefetching): most events touch nothing, a few percent
    /// move a customer or send.</summary>
    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public void MixOneByOne()
    {
        foreach (var e in _mix)
        {
            _processor.Process(e, _now += TimeSpan.TicksPerMillisecond);
        }
    }

    /// <summary>Events that change nothing (page views of known customers), as a partition worker applies them: must
    /// allocate nothing.</summary>
    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public void Idle() => _now = SampleWorkload.ProcessInBatches(_processor, _idle, _now, _times);

    /// <summary>Events that change nothing, one at a time (no prefetching): each waits for its customer's slot.</summary>
    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public void IdleOneByOne()
    {
        foreach (var e in _idle)
        {
            _processor.Process(e, _now += TimeSpan.TicksPerMillisecond);
        }
    }
}
