using System.Diagnostics.Metrics;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.State;
using Journeys.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using static Journeys.Tests.Runtime.Sim;

namespace Journeys.Tests.Runtime;

/// <summary>Decisions reach observers after commit: after the state change that made them is applied and (with a store)
/// saved, never in the middle of it; an observer that throws is isolated.</summary>
public sealed class DecisionPublicationTests
{
    /// <summary>Signs up three customers, runs ten weeks of the spec's nurture journey, and returns what a recording
    /// observer saw and what the channel was handed, with <paramref name="alsoSubscribe"/> subscribed first.</summary>
    private static async Task<(List<string> Decisions, List<string> Sent)> RunNurture(Action<JourneyEngine>? alsoSubscribe = null,
        ILoggerFactory? logs = null, IMeterFactory? meters = null)
    {
        var channel = new RecordingChannel();
        var time = new FakeTimeProvider(T);
        var builder = new JourneyEngineBuilder().UseCatalog(Load(SpecJourneys.Nurture)).AddChannel(channel).UseTimeProvider(time).WithPartitions(2);
        if (logs is not null)
        {
            builder.UseLoggerFactory(logs);
        }

        if (meters is not null)
        {
            builder.UseMeterFactory(meters);
        }

        await using var engine = builder.Build();
        alsoSubscribe?.Invoke(engine);
        var seen = new List<JourneyDecision>();
        using var recording = engine.Decisions.Subscribe(d =>
        {
            lock (seen)
            {
                seen.Add(d);
            }
        });
        engine.Start();
        foreach (var customer in new[] { "c1", "c2", "c3" })
        {
            await engine.PublishAsync(new CustomerEvent(customer, "signed_up"));
        }

        await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);
        for (var day = 0; day < 70; day++)
        {
            time.Advance(TimeSpan.FromDays(1));
            await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);
        }

        await engine.StopAsync().WaitAsync(EngineHarness.SafetyTimeout);
        var decisions = seen.Select(d => $"{d.Timestamp:O} {d.CustomerId} {d.Step} {d.KindName} {d.Reason}").Order(StringComparer.Ordinal).ToList();
        var sent = channel.Messages.Select(m => $"{m.Timestamp:O} {m.CustomerId} {m.Step} {m.IdempotencyKey}").Order(StringComparer.Ordinal).ToList();
        return (decisions, sent);
    }

    [Fact]
    public async Task Subscriber_ThrowsOnEveryDecision_CustomersRunExactlyAsWithoutIt()
    {
        var without = await RunNurture();

        var with = await RunNurture(engine => engine.Decisions.Subscribe(_ => throw new InvalidOperationException("observer broke")));

        Assert.Contains(without.Decisions, d => d.Contains(" survey sent", StringComparison.Ordinal)); // the run went all the way
        Assert.Equal(without.Decisions, with.Decisions);
        Assert.Equal(without.Sent, with.Sent);
    }

    [Fact]
    public async Task Subscriber_ThrowsOnEntered_TheCustomerStillGetsItsSendAndItsTimer()
    {
        // Before: the observer ran inside Enter(), so its exception left the customer inside the journey with no send
        // and no timer, for good.
        var (decisions, sent) = await RunNurture(engine => engine.Decisions.Subscribe(d =>
        {
            if (d.Kind == DecisionKind.Entered)
            {
                throw new InvalidOperationException("observer broke");
            }
        }));

        Assert.Equal(3, sent.Count(m => m.Contains(" guide ", StringComparison.Ordinal)));
        Assert.Equal(3, decisions.Count(d => d.Contains(" consult moved after 7d", StringComparison.Ordinal))); // the step timer fired
    }

    [Fact]
    public async Task Subscriber_Throws_LoggedAndCountedOncePerDecision()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var errors = new MetricCollector<long>(meters, "Journeys", "journeys.decisions.observer_errors");
        var logs = new FakeLogCollector();
        var thrown = 0;

        await RunNurture(engine => engine.Decisions.Subscribe(d =>
        {
            if (d.CustomerId == "c2")
            {
                Interlocked.Increment(ref thrown);
                throw new InvalidOperationException("observer broke");
            }
        }), new LoggerFactory([new FakeLoggerProvider(logs)]), meters);

        Assert.True(thrown > 3);
        Assert.Equal(thrown, errors.GetMeasurementSnapshot().Sum(m => m.Value));
        var records = logs.GetSnapshot().Where(r => r.Id.Name == "DecisionObserverError").ToList();
        Assert.Equal(thrown, records.Count);
        Assert.All(records, r => Assert.Equal(("observer broke", LogLevel.Error), (r.Exception?.Message, r.Level)));
        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Id.Name == "PartitionWorkerError");
    }

    [Fact]
    public async Task SubscribeBatches_CommittedDecisions_SameSequenceAsTheObserversInBatches()
    {
        var batches = new List<IReadOnlyList<JourneyDecision>>();
        var (decisions, _) = await RunNurture(engine => engine.SubscribeBatches(batch =>
        {
            lock (batches)
            {
                batches.Add(batch);
            }
        }));

        var fromBatches = batches.SelectMany(b => b).Select(d => $"{d.Timestamp:O} {d.CustomerId} {d.Step} {d.KindName} {d.Reason}")
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(decisions, fromBatches);
        Assert.Contains(batches, b => b.Count > 1); // an entry and its send arrive as one batch
        Assert.All(batches, b => Assert.Equal(b.OrderBy(d => d.Sequence).Select(d => d.Sequence), b.Select(d => d.Sequence)));
    }

    [Fact]
    public async Task Decisions_WithStore_PublishedOnlyAfterTheSaveOfTheirStateChange()
    {
        var published = 0;
        var publishedAtSave = new List<int>();
        var store = new TestStore { OnSave = _ => publishedAtSave.Add(Volatile.Read(ref published)) };
        var time = new FakeTimeProvider(T);
        await using var engine = new JourneyEngineBuilder().UseCatalog(Load(SpecJourneys.Nurture)).AddChannel(new RecordingChannel())
            .UseTimeProvider(time).UseStore(store).WithPartitions(1).Build();
        using var subscription = engine.Decisions.Subscribe(_ => Interlocked.Increment(ref published));
        engine.Start();

        await engine.PublishAsync(new CustomerEvent("c1", "signed_up"));
        await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);

        Assert.Equal(0, publishedAtSave[0]); // entered and sent were made before this save, and not yet handed to anyone
        Assert.Equal(2, published);          // handed over once it succeeded
    }

    [Fact]
    public async Task Decisions_SaveFails_HeldUntilASaveSucceeds()
    {
        var store = new TestStore { Failing = true };
        var published = new List<JourneyDecision>();
        var time = new FakeTimeProvider(T);
        await using var engine = new JourneyEngineBuilder().UseCatalog(Load(SpecJourneys.Nurture)).AddChannel(new RecordingChannel())
            .UseTimeProvider(time).UseStore(store).WithPartitions(1).OnError(_ => { }).Build();
        using var subscription = engine.Decisions.Subscribe(d =>
        {
            lock (published)
            {
                published.Add(d);
            }
        });
        engine.Start();

        await engine.PublishAsync(new CustomerEvent("c1", "signed_up"));
        await Assert.ThrowsAsync<Journeys.Diagnostics.JourneyStoreException>(() => engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout));
        Assert.Empty(published); // not saved: nobody was told

        store.Failing = false;
        await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);

        Assert.Equal(["entered", "sent"], published.Select(d => d.KindName));
    }
}
