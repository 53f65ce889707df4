using System.Text;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Persistence;
using Journeys.Sqlite;
using Journeys.State;
using Journeys.Tests.Runtime;
using Journeys.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Tests.Persistence;

/// <summary>The amounts behind <c>sum()</c> are part of the customer's state: saved by both stores (customer format
/// version 2), so a restarted engine adds a new order to the orders before it; a model without <c>sum</c> saves none.</summary>
public sealed class SumPersistenceTests : IDisposable
{
    private const string BigSpender = """
        journey: big-spender
        version: 1
        entry:
          when: "sum('order_completed', 'amount', 30) >= 100"
        start: thanks
        steps:
          thanks:
            send: { channel: push, template: vip/thanks }
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static CustomerEvent Order(DateTimeOffset at, object? amount) =>
        new("c1", "order_completed", at, new Dictionary<string, object?> { ["amount"] = amount });

    /// <summary>Runs one engine on <paramref name="store"/> at <paramref name="now"/>, publishes the events, stops it.</summary>
    private static async Task<List<JourneyDecision>> RunAsync(IJourneyStore store, string journey, DateTimeOffset now, params CustomerEvent[] events)
    {
        var decisions = new List<JourneyDecision>();
        await using var engine = new JourneyEngineBuilder()
            .UseCatalog(Sim.Load(journey))
            .AddChannel(new RecordingChannel())
            .UseTimeProvider(new FakeTimeProvider(now))
            .UseStore(store)
            .WithPartitions(1)
            .Build();
        engine.Decisions.Subscribe(d => { lock (decisions) { decisions.Add(d); } });
        await engine.StartAsync().WaitAsync(EngineHarness.SafetyTimeout);
        await engine.PublishAsync(events);
        await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);
        await engine.StopAsync().WaitAsync(EngineHarness.SafetyTimeout);
        return decisions;
    }

    [Fact]
    public async Task Restart_InMemoryStore_SumIncludesTheOrdersBeforeTheRestart()
    {
        var store = new InMemoryJourneyStore();
        Assert.Empty(await RunAsync(store, BigSpender, Sim.T, Order(Sim.T, 60)));

        var after = await RunAsync(store, BigSpender, Sim.T.AddDays(1), Order(Sim.T.AddDays(1), 50));

        Assert.Equal("2026-01-06T10:00:00Z c1 entered thanks (when)", Sim.Lines(after)[0]);
    }

    [Fact]
    public async Task Restart_SqliteStoreReopened_SumIncludesTheOrdersBeforeTheRestart()
    {
        var path = _folder.File("journeys.db");
        using (var store = new SqliteJourneyStore(path))
        {
            Assert.Empty(await RunAsync(store, BigSpender, Sim.T, Order(Sim.T, 60), Order(Sim.T, "n/a")));
            var saved = Assert.Single(store.LoadAll());
            var sum = Assert.Single(saved.Sums);
            Assert.Equal(("order_completed", "amount"), (sum.EventType, sum.Property));
            Assert.Equal([(Sim.T, 60.0)], sum.Entries); // the text amount counts 0 and is not kept
        }

        using var reopened = new SqliteJourneyStore(path);
        var after = await RunAsync(reopened, BigSpender, Sim.T.AddDays(1), Order(Sim.T.AddDays(1), 50));

        Assert.Equal("2026-01-06T10:00:00Z c1 entered thanks (when)", Sim.Lines(after)[0]);
    }

    [Fact]
    public async Task Restart_OrdersOlderThanTheWindow_AreNotKept()
    {
        var store = new InMemoryJourneyStore();
        await RunAsync(store, BigSpender, Sim.T, Order(Sim.T, 60));

        var after = await RunAsync(store, BigSpender, Sim.T.AddDays(31), Order(Sim.T.AddDays(31), 50));

        Assert.Empty(after);
        Assert.Equal([(Sim.T.AddDays(31), 50.0)], Assert.Single(Assert.Single(store.LoadAll()).Sums).Entries);
    }

    [Fact]
    public async Task ModelWithoutSum_SavesNoSumsMember()
    {
        var store = new InMemoryJourneyStore();
        await RunAsync(store, SpecJourneys.ValueBoost, Sim.T, Order(Sim.T, 60));

        var record = Assert.Single(await ToListAsync(store.LoadCustomersAsync(CancellationToken.None)));
        Assert.Equal(2, record.Version);
        Assert.DoesNotContain("\"sums\"", Encoding.UTF8.GetString(record.Data.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void SumsMember_Written_AsTimesAndAmounts()
    {
        var snapshot = new CustomerSnapshot
        {
            Id = "c1",
            Sums = [new SumSnapshot("order_completed", "amount", [(Sim.T, 60.0), (Sim.T.AddDays(1), 12.5)])],
        };

        var json = Encoding.UTF8.GetString(RecordCodec.Encode(snapshot).Data.Span);

        Assert.EndsWith("""
            "activity":[],"sums":[{"event":"order_completed","property":"amount","at":["2026-01-05T10:00:00+00:00","2026-01-06T10:00:00+00:00"],"amount":[60,12.5]}]}
            """, json, StringComparison.Ordinal);
        Assert.Equal(snapshot.Sums[0].Entries, Assert.Single(RecordCodec.Decode(RecordCodec.Encode(snapshot)).Sums).Entries);
    }

    [Fact]
    public void SumsMember_TimesAndAmountsOfDifferentLengths_IsADamagedRecord()
    {
        var json = """{"timeZone":"UTC","sums":[{"event":"o","property":"a","at":["2026-01-05T10:00:00+00:00"],"amount":[]}]}""";

        var error = Assert.Throws<Journeys.Diagnostics.JourneyRecordException>(() => RecordCodec.Decode(new CustomerRecord("c1", 2, Encoding.UTF8.GetBytes(json))));

        Assert.Contains("sums of 'o'.'a' have 1 times and 0 amounts", error.Message, StringComparison.Ordinal);
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
