using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Journeys.Compilation;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.State;

namespace Journeys.Benchmarks;

/// <summary>One occurrence of a weekly schedule over 1,000,000 customers in hundreds of time zones: the customers are
/// identified beforehand (each in one of the machine's IANA zones), then one AdvanceTo over the 27 hours in which Monday
/// 10:00 comes round in every zone fires the zones' timers (one per zone), each entering its zone's customers into a
/// step that waits a week. Measured: grouping the customers by zone (one pass, on the first zone's timer) and entering
/// all of them, a decision and a step timer each.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class ScheduleBenchmarks
{
    private const string Journey = """
        journey: weekly
        entry:
          schedule: { every: week, on: mon, at: "10:00" }
          if: "customer.plan == 'gold'"
        start: offer
        steps:
          offer:
            then: [ { after: 7d, goto: end } ]
        """;

    [Params(1_000_000)]
    public int Customers { get; set; }

    private PartitionProcessor _processor = null!;
    private SampleWorkload.CountingSink _sink = null!;
    private long _start;

    /// <summary>How many zones the customers are spread over (every IANA zone the machine knows).</summary>
    public static string[] Zones { get; } = TimeZoneInfo.GetSystemTimeZones()
        .Select(z => z.Id)
        .Where(id => id.Contains('/', StringComparison.Ordinal) && !id.StartsWith("Etc/", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)
        .ToArray();

    [IterationSetup]
    public void Setup()
    {
        var model = new RuntimeModel(JourneyLoader.LoadYaml(("weekly.yaml", Journey)).ThrowIfInvalid());
        _sink = new SampleWorkload.CountingSink();
        _processor = new PartitionProcessor(model, _sink, _ => { });
        _start = SampleWorkload.Start.AddDays(-1).UtcTicks; // Sunday 4 January, 00:00Z: before Monday 10:00 anywhere
        var gold = new Dictionary<string, object?> { ["plan"] = "gold" };
        for (var i = 0; i < Customers; i++)
        {
            _processor.Identify(new CustomerProfile(SampleWorkload.CustomerId(i), gold, Zones[i % Zones.Length]), _start);
        }
    }

    /// <summary>For the probe: fires the timers due by <paramref name="ticks"/> (the first zone's, with the regrouping).</summary>
    internal void AdvanceFirstZone(long ticks) => _processor.AdvanceTo(ticks);

    /// <summary>Fires the occurrence in every zone; returns the decisions made (a million entries).</summary>
    [Benchmark]
    public long EnterOneOccurrence()
    {
        _processor.AdvanceTo(_start + (3 * TimeSpan.TicksPerDay));
        return _sink.Count;
    }
}
