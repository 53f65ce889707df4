using System.Runtime.CompilerServices;
using System.Text;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Diagnostics;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.Persistence;
using Journeys.State;
using Journeys.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Tests.Persistence;

/// <summary>Where an engine reads its store: at <see cref="JourneyEngine.StartAsync"/>, awaited and cancellable, never at
/// <see cref="JourneyEngineBuilder.Build"/>; and what it does with records it cannot read.</summary>
public sealed class EngineStartTests
{
    private const string Poke = """
        journey: poke
        entry: { on: poke }
        start: s
        steps:
          s:
            then: [ { after: 1d, goto: end } ]
        """;

    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    private static JourneyEngine Build(IJourneyStore store, FakeTimeProvider? time = null) => new JourneyEngineBuilder()
        .UseCatalog(JourneyLoader.LoadYaml(("poke.yaml", Poke)))
        .AddChannel(new RecordingChannel())
        .UseTimeProvider(time ?? new FakeTimeProvider(T0))
        .UseStore(store)
        .WithPartitions(2)
        .Build();

    [Fact]
    public async Task Build_WithAStore_ReadsAndWritesNothingUntilStarted()
    {
        var store = new AwaitingStore();

        await using var engine = Build(store);
        Assert.Empty(store.Calls);

        await engine.StartAsync();
        Assert.Equal(["LoadJourneyVersions", "LoadCustomers", "LoadOutbox", "SaveJourneyVersions"], store.Calls);
    }

    [Fact]
    public async Task Start_StoreThatAwaitsItsIO_WaitsForItThenRuns()
    {
        var store = new AwaitingStore();
        var time = new FakeTimeProvider(T0);
        await using (var engine = Build(store, time).Start())
        {
            await engine.PublishAsync(new CustomerEvent("c1", "poke"));
            await engine.DrainAsync();
        }

        await using var restarted = Build(store, time);
        var decisions = new List<JourneyDecision>();
        restarted.Decisions.Subscribe(d => { lock (decisions) { decisions.Add(d); } });
        restarted.Start();
        time.Advance(TimeSpan.FromDays(1));
        await restarted.DrainAsync();

        Assert.Equal(("c1", DecisionKind.Completed, T0.AddDays(1)), Assert.Single(decisions.Select(d => (d.CustomerId, d.Kind, d.Timestamp))));
    }

    [Fact]
    public async Task StartAsync_Cancelled_EngineNotStartedAndCanStartAgain()
    {
        var store = new AwaitingStore();
        await using var engine = Build(store);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.StartAsync(cancelled.Token));
        var notStarted = await Assert.ThrowsAsync<InvalidOperationException>(() => engine.PublishAsync(new CustomerEvent("c1", "poke")).AsTask());
        Assert.Equal("Start the engine before publishing.", notStarted.Message);

        Assert.Same(engine, await engine.StartAsync());
        await engine.PublishAsync(new CustomerEvent("c1", "poke"));
        await engine.DrainAsync();
        Assert.Single(store.Inner.LoadAll());
    }

    [Fact]
    public async Task StartAsync_CustomerRecordOfANewerFormat_RefusedNamingTheCustomerAndTheVersion()
    {
        var store = new InMemoryJourneyStore();
        await store.SaveChangesAsync([new CustomerRecord("c1", RecordCodec.CustomerFormat + 1, Encoding.UTF8.GetBytes("{}"))], [], [], CancellationToken.None);
        await using var engine = Build(store);

        var error = await Assert.ThrowsAsync<JourneyRecordException>(() => engine.StartAsync());

        Assert.Equal(("c1", RecordCodec.CustomerFormat + 1), (error.Key, error.Version));
        Assert.Equal($"The store's record of customer 'c1' (format version {RecordCodec.CustomerFormat + 1}) cannot be read: this version of Journeys " +
                     $"reads format versions 1 to {RecordCodec.CustomerFormat}; the record was written by a newer one. Run the newer Journeys.", error.Message);
        Assert.Empty(await store.LoadJourneyVersionsAsync(CancellationToken.None)); // refused before anything was written
    }

    [Fact]
    public async Task StopAsync_NeverStarted_CompletesWithoutTouchingTheStore()
    {
        var store = new AwaitingStore();
        var engine = Build(store);

        await engine.StopAsync();

        Assert.Empty(store.Calls);
        Assert.Throws<InvalidOperationException>(() => engine.Start());
    }

    /// <summary>An in-memory store whose every call yields before it runs (as a store doing I/O would), and which records
    /// the calls the engine made.</summary>
    private sealed class AwaitingStore : IJourneyStore
    {
        public InMemoryJourneyStore Inner { get; } = new();

        public List<string> Calls { get; } = [];

        private async ValueTask Enter(string call, CancellationToken cancellationToken)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            lock (Calls)
            {
                if (call != "SaveChanges")
                {
                    Calls.Add(call);
                }
            }
        }

        public async IAsyncEnumerable<CustomerRecord> LoadCustomersAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Enter("LoadCustomers", cancellationToken);
            await foreach (var record in Inner.LoadCustomersAsync(cancellationToken))
            {
                yield return record;
            }
        }

        public async ValueTask<IReadOnlyList<OutboxRecord>> LoadOutboxAsync(CancellationToken cancellationToken)
        {
            await Enter("LoadOutbox", cancellationToken);
            return await Inner.LoadOutboxAsync(cancellationToken);
        }

        public async ValueTask SaveChangesAsync(IReadOnlyList<CustomerRecord> customers, IReadOnlyList<OutboxRecord> outboxAdded, IReadOnlyList<string> outboxDone,
            CancellationToken cancellationToken)
        {
            await Enter("SaveChanges", cancellationToken);
            await Inner.SaveChangesAsync(customers, outboxAdded, outboxDone, cancellationToken);
        }

        public async ValueTask<IReadOnlyList<JourneyVersionSource>> LoadJourneyVersionsAsync(CancellationToken cancellationToken)
        {
            await Enter("LoadJourneyVersions", cancellationToken);
            return await Inner.LoadJourneyVersionsAsync(cancellationToken);
        }

        public async ValueTask SaveJourneyVersionsAsync(IReadOnlyList<JourneyVersionSource> versions, CancellationToken cancellationToken)
        {
            await Enter("SaveJourneyVersions", cancellationToken);
            await Inner.SaveJourneyVersionsAsync(versions, cancellationToken);
        }
    }
}
