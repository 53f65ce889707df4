using BenchmarkDotNet.Attributes;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.State;

namespace Journeys.Benchmarks;

/// <summary>The whole engine (queues, partition workers) over the event mix with one partition and with two, in one run:
/// the ratio shows how ingest scales across cores. Reported per event. <see cref="Publish"/> publishes in batches of
/// 1,000 (as a consumer of a log or a queue reads them); <see cref="PublishOneByOne"/> one event per call.</summary>
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
            .UseCatalog(SampleWorkload.Catalog()).AddActions(SampleWorkload.Actions())
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

    private const int PublishBatch = 1_000;

    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public void Publish()
    {
        for (var i = 0; i < _mix.Length; i += PublishBatch)
        {
            _engine.Publish(new ArraySegment<CustomerEvent>(_mix, i, Math.Min(PublishBatch, _mix.Length - i)));
        }

        _engine.DrainAsync().GetAwaiter().GetResult();
    }

    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public void PublishOneByOne()
    {
        foreach (var e in _mix)
        {
            _engine.Publish(e);
        }

        _engine.DrainAsync().GetAwaiter().GetResult();
    }

    internal sealed class NullChannel : IChannel
    {
        public string Name => RecordingChannel.AnyName;

        /// <summary>How many messages it was given.</summary>
        public long Sent => Interlocked.Read(ref _sent);

        private long _sent;

        public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _sent);
            return ValueTask.FromResult(DeliveryResult.Delivered);
        }
    }
}
