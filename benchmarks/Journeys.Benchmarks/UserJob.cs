using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Journeys.Benchmarks;

/// <summary>The benchmarks of what users run, side by side in one run (`dotnet run -c Release --project
/// benchmarks/Journeys.Benchmarks -- users DIR [NAME...]`): simulate end to end against its JSON baseline, the send
/// burst, PublishAsync from 1 and 4 producers, and durable ingest (no store, in-memory, SQLite). A short job run in
/// process, reports in DIR; NAME (such as <c>SimulateBenchmarks</c>) keeps only those classes.</summary>
internal static class UserJob
{
    public static readonly Type[] Benchmarks =
        [typeof(SimulateBenchmarks), typeof(SendBurstBenchmarks), typeof(PublishBenchmarks), typeof(DurableIngestBenchmarks)];

    /// <summary>In process, with room for a benchmark whose one operation is a whole simulate run of a million lines.</summary>
    public static readonly InProcessEmitToolchain Toolchain = new(TimeSpan.FromMinutes(15), logOutput: true);

    /// <summary>The short in-process job both this run and CI use, reports to <paramref name="artifacts"/>.</summary>
    public static IConfig Config(string artifacts, string id) => ManualConfig.CreateEmpty()
        .AddJob(Job.ShortRun.WithToolchain(Toolchain).WithId(id))
        .AddColumnProvider(DefaultColumnProviders.Instance)
        .AddDiagnoser(MemoryDiagnoser.Default)
        .AddExporter(MarkdownExporter.GitHub, JsonExporter.Full)
        .AddLogger(ConsoleLogger.Default)
        .WithArtifactsPath(Path.GetFullPath(artifacts))
        .WithOptions(ConfigOptions.DisableLogFile);

    public static int Run(string artifacts, IReadOnlyCollection<string> only)
    {
        var types = Benchmarks.Where(t => only.Count == 0 || only.Contains(t.Name)).ToArray();
        var summaries = BenchmarkRunner.Run(types, Config(artifacts, "UsersShort"));
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
