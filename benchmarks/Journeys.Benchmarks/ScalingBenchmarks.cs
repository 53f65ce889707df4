using BenchmarkDotNet.Attributes;
using Journeys.Delivery;
using Journeys.Runtime;

namespace Journeys.Benchmarks;

/// <summary>The whole engine (queues, partition workers) over the event mix with one partition and with two, in one run:
/// the ratio shows how ingest scales across cores. Reported per event.</summary>
[MemoryDiagnoser]
public class ScalingBenchmarks
{
    private const int EventsPerInvoke = 200_000;
    private const int Customers = 1_000_000;

    [Params(1, 2)]
    public int Partitions { get; set; }

    private JourneyEngine _engine = null!;
    private CustomerEvent[] _mix = null!;

    [GlobalSetup]
    public void Setup()
    {
        _engine = new JourneyEngineBuilder()
            .UseCatalog(SampleWorkload.Catalog())
            .AddChannel(new NullChannel())
            .WithPartitions(Partitions)
            .Build()
            .Start();
        for (var i = 0; i < Customers; i++)
        {
            _engine.Identify(new CustomerProfile(SampleWorkload.CustomerId(i), new Dictionary<string, object?> { ["spend12m"] = (double)(i % 97 * 100) }));
        }

        _mix = SampleWorkload.Events(EventsPerInvoke, Customers);
        Publish();
    }

    [GlobalCleanup]
    public void Cleanup() => _engine.StopAsync().GetAwaiter().GetResult();

    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public void Publish()
    {
        foreach (var e in _mix)
        {
            _engine.Publish(e);
        }

        _engine.DrainAsync().GetAwaiter().GetResult();
    }

    private sealed class NullChannel : IChannel
    {
        public string Name => RecordingChannel.AnyName;

        public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken) => ValueTask.FromResult(DeliveryResult.Delivered);
    }
}
