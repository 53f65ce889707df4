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

namespace Journeys.Benchmarks;

/// <summary>The short job CI runs (`dotnet run -c Release --project benchmarks/Journeys.Benchmarks -- ci DIR`): the
/// baseline comparison, the rules and the ingest mix (1,000,000 customers), each in a short BenchmarkDotNet job run in
/// process (no per-benchmark build), with the GitHub markdown and JSON reports written to DIR. It fails (exit 1) when
/// the engine's throughput is less than <see cref="MinimumRatio"/> times the hand-rolled baseline's, or when
/// <c>journeys simulate</c> costs more than <see cref="MaximumSimulateRatio"/> times reading its input with
/// <see cref="System.Text.Json.JsonDocument"/>, each measured side by side in this run: ratios, never absolute times,
/// because CI machines are shared and noisy.</summary>
internal static class CiJob
{
    /// <summary>The least acceptable ratio of the hand-rolled baseline's time per event to the engine's.</summary>
    public const double MinimumRatio = 20;

    /// <summary>The most <c>journeys simulate</c> may cost per line, end to end, as a multiple of parsing the same line with
    /// <see cref="System.Text.Json.JsonDocument"/> and counting it (<see cref="SimulateBenchmarks"/>, same run): twice the
    /// highest ratio seen (11.6×, a CI job; 5.3× under other load), since it moves with the load on the second core.</summary>
    public const double MaximumSimulateRatio = 24;

    public static int Run(string artifacts)
    {
        var job = Job.ShortRun.WithToolchain(UserJob.Toolchain).WithId("CiShort");
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddExporter(MarkdownExporter.GitHub, JsonExporter.Full)
            .AddLogger(ConsoleLogger.Default)
            .WithArtifactsPath(Path.GetFullPath(artifacts))
            .WithOptions(ConfigOptions.DisableLogFile);

        var summaries = BenchmarkRunner.Run([typeof(BaselineBenchmarks), typeof(RulesBenchmarks), typeof(IngestBenchmarks), typeof(SimulateBenchmarks)], config);
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

        // simulate end to end against reading its input with JsonDocument, both per line, measured side by side here.
        var simulation = summaries.Single(s => s.BenchmarksCases.Any(c => c.Descriptor.Type == typeof(SimulateBenchmarks)));
        var simulate = Statistics(simulation, nameof(SimulateBenchmarks.Simulate));
        var parse = Statistics(simulation, nameof(SimulateBenchmarks.JsonDocumentCount));
        var simulateRatio = simulate.Median / parse.Median;
        var simulateVerdict = simulateRatio <= MaximumSimulateRatio ? "ok" : "FAILED";
        var simulateLine = string.Create(CultureInfo.InvariantCulture,
            $"simulate ratio: {simulateRatio:F2}x (simulate {simulate.Median:F0} ns / JsonDocument count {parse.Median:F0} ns per line, medians; {1e9 / simulate.Median:N0} lines/s); guard <= {MaximumSimulateRatio}x: {simulateVerdict}");
        File.WriteAllText(Path.Combine(artifacts, "simulate-ratio.txt"), simulateLine + Environment.NewLine);
        Console.WriteLine(simulateLine);
        return ratio >= MinimumRatio && simulateRatio <= MaximumSimulateRatio ? 0 : 1;
    }

    private static BenchmarkDotNet.Mathematics.Statistics Statistics(Summary summary, string method) =>
        summary.Reports.Single(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method).ResultStatistics
        ?? throw new InvalidOperationException($"{method} has no results");
}
