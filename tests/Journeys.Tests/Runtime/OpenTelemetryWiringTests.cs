using System.Text.Json;
using System.Text.RegularExpressions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.State;
using Journeys.Telemetry;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Journeys.Tests.Runtime;

/// <summary>docs/operations.md's wiring: an OpenTelemetry 1.21.0 meter provider with <c>AddMeter("Journeys")</c> exports
/// the engine's instruments with their journey and step tags; and docs/grafana/journeys.json queries only metrics the
/// engine exports (in their Prometheus names).</summary>
public sealed partial class OpenTelemetryWiringTests
{
    private const string Journey = """
        journey: otel-wiring
        entry: { on: signed_up }
        goal: { on: order_completed }
        start: hello
        steps:
          hello:
            send: { channel: push, template: otel/hello }
            then:
              - after: 1d
                goto: end
        """;

    [Fact]
    public async Task MeterProvider_AddMeterJourneys_ExportsDecisionsAndDurationsWithJourneyAndStep()
    {
        var exported = new List<Metric>();
        using (var provider = Sdk.CreateMeterProviderBuilder().AddMeter(JourneysMetrics.Name).AddInMemoryExporter(exported).Build())
        {
            var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
            await using (var engine = new JourneyEngineBuilder().UseCatalog(JourneyLoader.LoadYaml(("otel.yaml", Journey)))
                .AddChannel(new RecordingChannel()).UseTimeProvider(time).Build().Start())
            {
                await engine.PublishAsync(new CustomerEvent("c1", "signed_up"));
                await engine.PublishAsync(new CustomerEvent("c2", "signed_up"));
                await engine.DrainAsync();
                time.Advance(TimeSpan.FromHours(2));
                await engine.PublishAsync(new CustomerEvent("c2", "order_completed"));
                time.Advance(TimeSpan.FromDays(1));
                await engine.DrainAsync();
                provider.ForceFlush();
            }
        }

        // Other tests' engines run in parallel on meters of the same name: keep this journey's points.
        var points = exported.SelectMany(m => Points(m).Select(p => (m.Name, Tags: Tags(p)))).Where(p => p.Tags.GetValueOrDefault("journey") == "otel-wiring").ToList();
        Assert.Contains(points, p => p.Name == JourneysMetrics.Decisions && p.Tags["step"] == "hello" && p.Tags["kind"] == "sent" && p.Tags["channel"] == "push");
        Assert.Contains(points, p => p.Name == JourneysMetrics.StepDuration && p.Tags["step"] == "hello");
        Assert.Contains(points, p => p.Name == JourneysMetrics.GoalDuration);
        Assert.DoesNotContain(points, p => p.Tags.Values.Any(v => v is "c1" or "c2"));
    }

    [Fact]
    public void GrafanaDashboard_QueriesOnlyMetricsTheEngineExports()
    {
        // The Prometheus names of the engine's instruments: dots to underscores, counters end in _total, a unit of
        // seconds adds _seconds; histograms are queried through their _bucket series.
        var exported = new[]
        {
            "journeys_decisions_total", "journeys_messages_sent_total", "journeys_events_processed_total", "journeys_rules_errors_total",
            "journeys_queue_depth", "journeys_outbox_depth",
            "journeys_step_duration_seconds_bucket", "journeys_goal_duration_seconds_bucket", "journeys_delivery_latency_seconds_bucket",
            "journeys_actions_called_total", "journeys_actions_failed_total", "journeys_actions_latency_seconds_bucket", "journeys_entries_refused_total",
        };
        Assert.All(exported.Where(n => n.Contains("duration", StringComparison.Ordinal) || n.Contains("latency", StringComparison.Ordinal)),
            n => Assert.Contains(new[] { JourneysMetrics.StepDuration, JourneysMetrics.GoalDuration, JourneysMetrics.DeliveryLatencyName, JourneysMetrics.ActionLatencyName },
                i => n.StartsWith(i.Replace('.', '_'), StringComparison.Ordinal)));

        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "grafana", "journeys.json")));
        var queries = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray()).Select(t => t.GetProperty("expr").GetString()!).ToList();
        var used = queries.SelectMany(q => MetricName().Matches(q).Select(m => m.Value)).Distinct().ToList();

        Assert.True(queries.Count >= 10, $"the dashboard has {queries.Count} queries");
        Assert.Empty(used.Except(exported));
        Assert.Contains("journeys_step_duration_seconds_bucket", used);
        Assert.Contains("journeys_outbox_depth", used);
        Assert.Contains("journeys_delivery_latency_seconds_bucket", used);
        Assert.Contains("journeys_actions_called_total", used); // calls have their own panels, not the messages'
        Assert.Contains("journeys_actions_failed_total", used);
        Assert.Contains("journeys_entries_refused_total", used);
    }

    [GeneratedRegex(@"\bjourneys_[a-z_]+")]
    private static partial Regex MetricName();

    private static IEnumerable<MetricPoint> Points(Metric metric)
    {
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            yield return point;
        }
    }

    private static Dictionary<string, string?> Tags(MetricPoint point)
    {
        var tags = new Dictionary<string, string?>();
        foreach (var tag in point.Tags)
        {
            tags[tag.Key] = tag.Value?.ToString();
        }

        return tags;
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Journeys.sln")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException("Journeys.sln not found above " + AppContext.BaseDirectory);
    }
}
