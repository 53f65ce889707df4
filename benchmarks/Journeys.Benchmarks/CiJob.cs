using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Journeys.Benchmarks;

/// <summary>The short job CI runs (`dotnet run -c Release --project benchmarks/Journeys.Benchmarks -- ci DIR`): the
/// baseline comparison, the rules and the ingest mix (1,000,000 customers), each in a short BenchmarkDotNet job run in
/// process (no per-benchmark build), with the GitHub markdown and JSON reports written to DIR. It fails (exit 1) when
/// the engine's throughput is less than <see cref="MinimumRatio"/> times the hand-rolled baseline's, measured side by
/// side in this run: a ratio, never an absolute time, because CI machines are shared and noisy.</summary>
internal static class CiJob
{
    /// <summary>The least acceptable ratio of the hand-rolled baseline's time per event to the engine's.</summary>
    public const double MinimumRatio = 20;

    public static int Run(string artifacts)
    {
        var job = Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("CiShort");
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddExporter(MarkdownExporter.GitHub, JsonExporter.Full)
            .AddLogger(ConsoleLogger.Default)
            .WithArtifactsPath(Path.GetFullPath(artifacts))
            .WithOptions(ConfigOptions.DisableLogFile);

        var summaries = BenchmarkRunner.Run([typeof(BaselineBenchmarks), typeof(RulesBenchmarks), typeof(IngestBenchmarks)], config);
        var baseline = summaries.Single(s => s.BenchmarksCases.Any(c => c.Descriptor.Type == typeof(BaselineBenchmarks)));
        var failed = summaries.Where(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)).Select(s => s.Title).ToList();
        if (failed.Count > 0)
        {
            Console.WriteLine($"benchmarks failed to run: {string.Join(", ", failed)}");
            return 1;
        }

        var engine = Statistics(baseline, nameof(BaselineBenchmarks.Engine));
        var handRolled = Statistics(baseline, nameof(BaselineBenchmarks.HandRolled));
        var ratio = handRolled.Median / engine.Median;
        var verdict = ratio >= MinimumRatio ? "ok" : "FAILED";
        var line = string.Create(CultureInfo.InvariantCulture,
            $"baseline ratio: {ratio:F1}x (hand-rolled {handRolled.Median:F0} ns / engine {engine.Median:F0} ns per event, medians; by means {handRolled.Mean / engine.Mean:F1}x); guard >= {MinimumRatio}x: {verdict}");
        File.WriteAllText(Path.Combine(artifacts, "baseline-ratio.txt"), line + Environment.NewLine);
        Console.WriteLine(line);
        return ratio >= MinimumRatio ? 0 : 1;
    }

    private static BenchmarkDotNet.Mathematics.Statistics Statistics(Summary summary, string method) =>
        summary.Reports.Single(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method).ResultStatistics
        ?? throw new InvalidOperationException($"{method} has no results");
}
