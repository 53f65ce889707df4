using BenchmarkDotNet.Attributes;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Persistence;
using Journeys.Sqlite;
using Journeys.State;

namespace Journeys.Benchmarks;

/// <summary>The whole engine over the event mix with no store, the in-memory store and the SQLite store (WAL,
/// synchronous=FULL, one transaction per partition batch), side by side: what durability costs per event. Each invoke
/// publishes a batch and drains, so everything it changed is saved. With a store, each partition batch's changed customers
/// are encoded to records (JSON payloads) once per batch, on the partition's worker, whichever store keeps them.</summary>
[MemoryDiagnoser]
public class DurableIngestBenchmarks
{
    private const int EventsPerInvoke = 50_000;
    private const int Customers = 20_000;

    [Params("none", "memory", "sqlite")]
    public string Store { get; set; } = "none";

    private JourneyEngine _engine = null!;
    private CustomerEvent[] _mix = null!;
    private string? _folder;
    private SqliteJourneyStore? _sqlite;

    [GlobalSetup]
    public void Setup()
    {
        var builder = new JourneyEngineBuilder()
            .UseCatalog(SampleWorkload.Catalog()).AddActions(SampleWorkload.Actions())
            .AddChannel(new RecordingChannel())
            .WithPartitions(1);
        switch (Store)
        {
            case "memory":
                builder.UseStore(new InMemoryJourneyStore());
                break;
            case "sqlite":
                _folder = Directory.CreateTempSubdirectory("journeys-bench-").FullName;
                _sqlite = new SqliteJourneyStore(Path.Combine(_folder, "state.db"));
                builder.UseStore(_sqlite);
                break;
        }

        _engine = builder.Build().StartAsync().GetAwaiter().GetResult(); // BenchmarkDotNet's setup is synchronous
        for (var i = 0; i < Customers; i++)
        {
            _engine.Identify(new CustomerProfile(SampleWorkload.CustomerId(i), new Dictionary<string, object?> { ["spend12m"] = (double)(i % 97 * 100) }));
        }

        _mix = SampleWorkload.Events(EventsPerInvoke, Customers);
        Publish();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _engine.StopAsync().GetAwaiter().GetResult();
        _sqlite?.Dispose();
        if (_folder is not null)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public void Publish()
    {
        foreach (var e in _mix)
        {
            _engine.Publish(e);
        }

        _engine.DrainAsync().GetAwaiter().GetResult();
    }
}
