using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Journeys.Compilation;
using Journeys.Engine;
using Journeys.State;

namespace Journeys.Benchmarks;

/// <summary>Bytes per customer: 100,000 customers identified and taken into the sample journeys (a sign-up each, so
/// the nurture journey and its timers are active, plus activity for the aggregates). Allocated per operation is the
/// memory one customer costs, transient garbage included; <see cref="RetainedBytesPerCustomer"/> prints what stays.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class MemoryBenchmarks
{
    private const int Customers = 100_000;
    private RuntimeModel _model = null!;
    private CustomerEvent[] _signups = null!;
    private CustomerEvent[] _activity = null!;

    [GlobalSetup]
    public void Setup()
    {
        _model = new RuntimeModel(SampleWorkload.Catalog());
        (_signups, _activity) = PopulationEvents(Customers);
    }

    /// <summary>The benchmark population's events for <paramref name="customers"/> customers: a sign-up each, then an
    /// interaction or a login each (see <see cref="Populate(RuntimeModel, CustomerEvent[], CustomerEvent[])"/>).</summary>
    internal static (CustomerEvent[] Signups, CustomerEvent[] Activity) PopulationEvents(int customers) => (
        Enumerable.Range(0, customers).Select(i => new CustomerEvent(SampleWorkload.CustomerId(i), "signed_up")).ToArray(),
        Enumerable.Range(0, customers).Select(i => new CustomerEvent(SampleWorkload.CustomerId(i), i % 2 == 0 ? "interaction" : "login")).ToArray());

    [Benchmark(OperationsPerInvoke = Customers)]
    public int CustomersInJourneys() => Populate().Customers.Count;

    private PartitionProcessor Populate() => Populate(_model, _signups, _activity);

    /// <summary>The benchmark's population: <paramref name="signups"/> then <paramref name="activity"/> applied to
    /// customers identified with <see cref="SampleWorkload.Identify"/>.</summary>
    internal static PartitionProcessor Populate(RuntimeModel model, CustomerEvent[] signups, CustomerEvent[] activity)
    {
        var processor = new PartitionProcessor(model, new SampleWorkload.CountingSink(), _ => { });
        var now = SampleWorkload.Start.UtcTicks;
        SampleWorkload.Identify(processor, signups.Length, now);
        foreach (var e in signups)
        {
            processor.Process(e, now += TimeSpan.TicksPerMillisecond);
        }

        foreach (var e in activity)
        {
            processor.Process(e, now += TimeSpan.TicksPerMillisecond);
        }

        return processor;
    }

    /// <summary>What <see cref="RetainedBytesPerCustomer"/> measures, outside BenchmarkDotNet, with where the bytes go
    /// (<c>probe memory</c>).</summary>
    internal static void Probe()
    {
        var bench = new MemoryBenchmarks();
        bench.Setup();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var processor = bench.Populate();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"retained bytes per customer: {(after - before) / (double)Customers:F0} ({processor.Customers.Count:N0} customers, {processor.PendingTimers:N0} timers)");
        Sizer.Report(processor.Customers);
        GC.KeepAlive(processor);
    }

    /// <summary>Retained heap per customer, measured with full collections around the population.</summary>
    [GlobalCleanup]
    public void RetainedBytesPerCustomer()
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var processor = Populate();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"// retained bytes per customer: {(after - before) / (double)Customers:F0} ({processor.Customers.Count:N0} customers, {processor.PendingTimers:N0} timers)");
        GC.KeepAlive(processor);
    }
}
