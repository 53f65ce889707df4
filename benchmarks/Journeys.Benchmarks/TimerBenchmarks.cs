using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Journeys.Compilation;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.State;

namespace Journeys.Benchmarks;

/// <summary>1,000,000 due timers fired: a million customers wait in a step with <c>after: 1d</c>; one AdvanceTo a day
/// later fires every timer, in due order, each moving its customer on (a decision each).</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class TimerBenchmarks
{
    private const string Journey = """
        journey: wait
        entry: { on: poke }
        start: waiting
        steps:
          waiting:
            then: [ { after: 1d, goto: done } ]
          done: ~
        """;

    [Params(1_000_000)]
    public int Timers { get; set; }

    private PartitionProcessor _processor = null!;
    private long _start;

    [IterationSetup]
    public void Setup()
    {
        var model = new RuntimeModel(JourneyLoader.LoadYaml(("wait.yaml", Journey)).ThrowIfInvalid());
        _processor = new PartitionProcessor(model, new SampleWorkload.CountingSink(), _ => { });
        _start = SampleWorkload.Start.UtcTicks;
        for (var i = 0; i < Timers; i++)
        {
            // one second apart: due times spread over the day, as real arrivals are
            _processor.Process(new CustomerEvent(SampleWorkload.CustomerId(i), "poke"), _start + (i % 86_400) * TimeSpan.TicksPerSecond);
        }
    }

    [Benchmark]
    public int FireAll()
    {
        _processor.AdvanceTo(_start + TimeSpan.TicksPerDay * 2);
        return _processor.PendingTimers;
    }
}
