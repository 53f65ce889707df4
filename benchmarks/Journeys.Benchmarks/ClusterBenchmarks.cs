using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Journeys.Engine;
using Journeys.Orleans;
using Journeys.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Journeys.Benchmarks;

/// <summary>Events/s of the same input through the plain engine (one process, its default partitions, no store: the
/// baseline) and through an Orleans cluster of one and of two silos in this process (<see cref="InProcessTestCluster"/>),
/// each shard a grain running one engine partition and saving every batch to grain storage. The Ratio column is the
/// overhead ratio (cluster time per event / plain engine time per event); Events/call is the per-shard batch size: how
/// many events one grain call carries on average when a publish batch of <see cref="Batch"/> events is routed to
/// <see cref="Shards"/> shards. Shards keep their state in Orleans' memory grain storage and reminders in its memory
/// reminder table, so the benchmark needs no Redis (and measures no Redis round trips); silos talk over the test host's
/// in-memory transport (messages serialized, not sent over sockets). Run it alone: `dotnet run -c Release --project
/// benchmarks/Journeys.Benchmarks -- cluster DIR` (not in CI's short job).</summary>
[Config(typeof(ColumnConfig))]
public class ClusterBenchmarks
{
    private const int EventsPerInvoke = 16_384;
    private const int Customers = 16_384;

    /// <summary>How many events one publish call carries (a consumer's poll).</summary>
    public const int Batch = 4_096;

    /// <summary>How many shards the cluster has (the plain engine ignores it: it is the baseline of each).</summary>
    [Params(16, 256)]
    public int Shards { get; set; }

    private CustomerEvent[][] _batches = null!;
    private JourneyEngine? _engine;
    private InProcessTestCluster? _cluster;
    private IJourneyCluster? _journeys;

    [GlobalSetup(Target = nameof(PlainEngine))]
    public void SetupPlain()
    {
        _batches = Workload();
        _engine = new JourneyEngineBuilder()
            .UseCatalog(SampleWorkload.Catalog()).AddActions(SampleWorkload.Actions())
            .AddChannel(new ScalingBenchmarks.NullChannel())
            .UseTimeProvider(new FakeTimeProvider(SampleWorkload.Start))
            .Build()
            .Start();
        PlainEngine(); // every customer exists before the measured runs, as in the cluster
    }

    [GlobalSetup(Target = nameof(OneSilo))]
    public void SetupOneSilo() => SetupCluster(1);

    [GlobalSetup(Target = nameof(TwoSilos))]
    public void SetupTwoSilos() => SetupCluster(2);

    private void SetupCluster(short silos)
    {
        _batches = Workload();
        var catalog = SampleWorkload.Catalog();
        var time = new FakeTimeProvider(SampleWorkload.Start);
        var channel = new ScalingBenchmarks.NullChannel();
        var shards = Shards;
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) => silo
            .AddMemoryGrainStorage("journeys")
            .UseInMemoryReminderService()
            .AddJourneys(o =>
            {
                o.Catalog = catalog;
                o.ShardCount = shards;
                o.TimeProvider = time;
                o.Channels.Add((channel, null));
                foreach (var action in SampleWorkload.Actions())
                {
                    o.Actions.Add((action, null));
                }
            }));
        _cluster = builder.Build();
        _cluster.DeployAsync().GetAwaiter().GetResult();
        _journeys = new JourneyCluster(_cluster.Client, shards);
        _journeys.DrainAsync().GetAwaiter().GetResult(); // activates every shard: their start is not measured
        PublishThroughCluster(); // every customer exists before the measured runs
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _engine?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _cluster?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        (_engine, _cluster, _journeys) = (null, null, null);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = EventsPerInvoke)]
    public void PlainEngine()
    {
        foreach (var batch in _batches)
        {
            _engine!.PublishAsync(batch).GetAwaiter().GetResult();
        }

        _engine!.DrainAsync().GetAwaiter().GetResult();
    }

    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public void OneSilo() => PublishThroughCluster();

    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public void TwoSilos() => PublishThroughCluster();

    private void PublishThroughCluster()
    {
        foreach (var batch in _batches)
        {
            _journeys!.PublishAsync(batch).GetAwaiter().GetResult();
        }

        _journeys!.DrainAsync().GetAwaiter().GetResult(); // every shard applied, saved and delivered
    }

    private static CustomerEvent[][] Workload() => SampleWorkload.Events(EventsPerInvoke, Customers).Chunk(Batch).ToArray();

    /// <summary>How many events a grain call carries on average: each publish batch makes one call per shard it touches
    /// (the router's rule, <see cref="IJourneyCluster.ShardOf"/>).</summary>
    public static double EventsPerCall(int shards)
    {
        var batches = Workload();
        var calls = batches.Sum(b => b.Select(e => CustomerPartitions.PartitionOf(e.CustomerId, shards)).Distinct().Count());
        return (double)EventsPerInvoke / calls;
    }

    private sealed class ColumnConfig : ManualConfig
    {
        public ColumnConfig() => AddColumn(new EventsPerCallColumn());
    }

    /// <summary>The per-shard batch size of a cluster row (<see cref="EventsPerCall"/>); "-" for the plain engine.</summary>
    private sealed class EventsPerCallColumn : IColumn
    {
        public string Id => nameof(EventsPerCallColumn);
        public string ColumnName => "Events/call";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Events one grain call carries on average (a publish batch's events / the shards it touches)";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            if (benchmarkCase.Descriptor.WorkloadMethod.Name == nameof(PlainEngine))
            {
                return "-";
            }

            var shards = (int)benchmarkCase.Parameters["Shards"];
            return EventsPerCall(shards).ToString("F1", CultureInfo.InvariantCulture);
        }

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }
}

/// <summary>Runs <see cref="ClusterBenchmarks"/> alone in the short in-process job, reports to DIR.</summary>
internal static class ClusterJob
{
    public static int Run(string artifacts)
    {
        var summary = BenchmarkRunner.Run<ClusterBenchmarks>(UserJob.Config(artifacts, "ClusterShort"));
        return summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success) ? 1 : 0;
    }
}
