using BenchmarkDotNet.Attributes;
using Journeys.Compilation;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.State;

namespace Journeys.Benchmarks;

/// <summary>A send burst: 1,000,000 known customers enter a journey at one instant (a <c>ping</c> each, all stamped with
/// the same time), and each entry renders its push from the Liquid template (<see cref="UserWorkload.Template"/>, the
/// customer's traits in it) and hands the message on, as the partition's worker hands it to the outbox, to a channel
/// that accepts it and does nothing. Per operation: one event in, three decisions, one rendered send — the engine's
/// side of a send (the target is 1 µs or less).</summary>
[MemoryDiagnoser]
public class SendBurstBenchmarks
{
    /// <summary>Customers entering at one instant.</summary>
    public const int Customers = 1_000_000;

    private PartitionProcessor _processor = null!;
    private CustomerEvent[] _pings = null!;
    private long _now;

    [GlobalSetup]
    public void Setup()
    {
        var workload = UserWorkload.Create(lines: 0, customers: 0);
        var catalog = JourneyLoader.LoadFolder(workload.Folder).ThrowIfInvalid();
        workload.Delete();
        var channel = new NullChannel();
        _processor = new PartitionProcessor(new RuntimeModel(catalog), new SampleWorkload.CountingSink(),
            message => channel.SendAsync(message, CancellationToken.None).GetAwaiter().GetResult());
        _now = SampleWorkload.Start.UtcTicks;
        for (var i = 0; i < Customers; i++)
        {
            _processor.Identify(new CustomerProfile(SampleWorkload.CustomerId(i), new Dictionary<string, object?>
            {
                ["firstName"] = "Li",
                ["plan"] = "P-" + (i % 1000),
            }), _now);
        }

        _pings = Enumerable.Range(0, Customers).Select(i => new CustomerEvent(SampleWorkload.CustomerId(i), "ping")).ToArray();
    }

    /// <summary>Every customer enters at the same instant (an hour after the last burst) and is sent one rendered push.</summary>
    [Benchmark(OperationsPerInvoke = Customers)]
    public long Burst()
    {
        _now += TimeSpan.TicksPerHour;
        foreach (var ping in _pings)
        {
            _processor.Process(ping, _now);
        }

        return _now;
    }

    /// <summary>Accepts every message and does nothing with it.</summary>
    internal sealed class NullChannel(string name = "push") : IChannel
    {
        public string Name => name;

        public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken) => new(DeliveryResult.Delivered);
    }
}
