using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.State;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Journeys.Tests.Runtime;

/// <summary><see cref="JourneyEngine.PublishAsync(CustomerEvent, CancellationToken)"/> from several threads while
/// <see cref="JourneyEngine.StopAsync"/> runs, and under back-pressure: an acknowledged publish is applied and its
/// decisions published before <see cref="JourneyEngine.Decisions"/> completes; a refused one throws and is not applied;
/// each customer's events, published by one thread, are applied in order.</summary>
public sealed class PublishDuringStopTests
{
    private const string Ping = """
        journey: ping
        version: 1
        entry: { on: ping }
        start: done
        steps:
          done:
            send: { channel: email, template: ping/hello }
        """;

    private const string Ladder = """
        journey: ladder
        version: 1
        entry: { on: a }
        start: s1
        steps:
          s1:
            then: [ { on: b, goto: s2 } ]
          s2:
            then: [ { on: c, goto: s3 } ]
          s3:
            then: [ { on: d, goto: s4 } ]
          s4:
            send: { channel: email, template: ladder/top }
        """;

    private static JourneyEngine Build(string journey, int partitions, int capacity, out List<JourneyDecision> decisions, out IDisposable subscription)
    {
        var engine = new JourneyEngineBuilder()
            .UseCatalog(Sim.Load(journey))
            .AddChannel(new RecordingChannel())
            .UseTimeProvider(new FakeTimeProvider(Sim.T))
            .WithPartitions(partitions)
            .WithQueueCapacity(capacity)
            .Build();
        var seen = new List<JourneyDecision>();
        subscription = engine.Decisions.Subscribe(d =>
        {
            lock (seen)
            {
                seen.Add(d);
            }
        });
        decisions = seen;
        engine.Start();
        return engine;
    }

    /// <summary>Four producer threads publish one event at a time, each for a new customer, until the engine refuses;
    /// <c>StopAsync</c> starts after a varying number of acknowledged publishes. The customers entered are exactly the
    /// acknowledged ones, in every round (small queues: publishers wait for room when the stop comes; large: the fast
    /// path).</summary>
    [Fact]
    public async Task PublishersRacingStopAsync_EveryAcknowledgedEventIsApplied_AndNoRefusedOne()
    {
        const int producers = 4, rounds = 24;
        var wrong = new List<string>();
        for (var round = 0; round < rounds; round++)
        {
            var engine = Build(Ping, partitions: 1 + (round % 2), capacity: round % 3 == 0 ? 16 : 4_096, out var decisions, out var subscription);
            var acknowledged = new long[producers];
            var threads = Enumerable.Range(0, producers).Select(p => new Thread(() =>
            {
                for (var i = 0L; ; i++)
                {
                    try
                    {
                        var publish = engine.PublishAsync(new CustomerEvent($"p{p}-{i}", "ping"));
                        if (!publish.IsCompletedSuccessfully)
                        {
                            publish.AsTask().GetAwaiter().GetResult();
                        }
                    }
                    catch (InvalidOperationException) // stopped (or stopping: the partition's queue is closed)
                    {
                        return;
                    }

                    Volatile.Write(ref acknowledged[p], i + 1);
                }
            })).ToList();
            threads.ForEach(t => t.Start());

            var stopAfter = 200 + (round * 53 % 1_500);
            var spin = new SpinWait();
            while (Enumerable.Range(0, producers).Sum(p => Volatile.Read(ref acknowledged[p])) < stopAfter)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }

            await engine.StopAsync().WaitAsync(EngineHarness.SafetyTimeout);
            threads.ForEach(t => Assert.True(t.Join(EngineHarness.SafetyTimeout)));
            subscription.Dispose();

            var entered = decisions.Where(d => d.Kind == DecisionKind.Entered).Select(d => d.CustomerId).ToHashSet();
            var expected = Enumerable.Range(0, producers).SelectMany(p => Enumerable.Range(0, (int)acknowledged[p]).Select(i => $"p{p}-{i}")).ToHashSet();
            if (!entered.SetEquals(expected))
            {
                wrong.Add($"round {round}: {expected.Count} acknowledged, {entered.Count} entered, {expected.Except(entered).Count()} of them missing");
            }
        }

        Assert.Empty(wrong);
    }

    /// <summary>Four producers, each with its own 100 customers, publish every customer's a, b, c, d one at a time into
    /// queues of 16 places (publishers wait for room most of the time): every customer climbs the whole ladder, which it
    /// only does when its events are applied in the order published.</summary>
    [Fact]
    public async Task FourProducersUnderBackPressure_ApplyEachCustomersEventsInOrder()
    {
        const int producers = 4, customersEach = 100;
        var engine = Build(Ladder, partitions: 2, capacity: 16, out var decisions, out var subscription);
        await Task.WhenAll(Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            foreach (var type in new[] { "a", "b", "c", "d" })
            {
                for (var c = 0; c < customersEach; c++)
                {
                    await engine.PublishAsync(new CustomerEvent($"p{p}-c{c}", type));
                }
            }
        }))).WaitAsync(EngineHarness.SafetyTimeout);
        await engine.StopAsync().WaitAsync(EngineHarness.SafetyTimeout);
        subscription.Dispose();

        var lines = Sim.Lines(decisions);
        foreach (var customer in Enumerable.Range(0, producers).SelectMany(p => Enumerable.Range(0, customersEach).Select(c => $"p{p}-c{c}")))
        {
            Assert.Equal(
                new[] { "entered s1", "moved s2", "moved s3", "moved s4", "completed s4" },
                decisions.Where(d => d.CustomerId == customer && d.Kind != DecisionKind.Sent).Select(d => $"{d.KindName} {d.Step}"));
        }

        Assert.Equal(producers * customersEach * 6, lines.Count); // and a send each
    }
}
