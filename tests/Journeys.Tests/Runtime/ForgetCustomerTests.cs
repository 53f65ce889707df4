using System.Text;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.Persistence;
using Journeys.Sqlite;
using Journeys.State;
using Journeys.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Tests.Runtime;

/// <summary><see cref="JourneyEngine.ForgetAsync"/>: the customer is erased from memory (runs, timers), from the store —
/// the in-memory store and a real SQLite file, where no byte of the id is left — and from the delivery lanes (undelivered
/// messages cancelled and reported); a later event for the id starts a new customer.</summary>
public sealed class ForgetCustomerTests : IDisposable
{
    private const string Nurture = """
        journey: nurture
        entry: { on: signed_up }
        reentry: never
        start: welcome
        steps:
          welcome:
            send: { channel: push, template: nurture/welcome }
            then:
              - after: 2d
                goto: tips
          tips:
            send: { channel: push, template: nurture/tips }
        """;

    // An id that appears nowhere else, so finding its bytes in the file means it was left behind.
    private const string Erased = "erase-me-7f3a9c";

    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string DbPath => _folder.File("journeys.db");

    private IJourneyStore Store(string kind) => ControlHarness.Store(kind, _folder);

    private static async Task<(JourneyEngine Engine, List<JourneyDecision> Decisions)> StartAsync(IJourneyStore? store, FakeTimeProvider time,
        IChannel? channel = null)
    {
        var builder = new JourneyEngineBuilder().UseCatalog(JourneyLoader.LoadYaml(("nurture.yaml", Nurture)))
            .AddChannel(channel ?? new RecordingChannel(), new ChannelDeliveryOptions { MaxConcurrency = 1 }).UseTimeProvider(time).WithPartitions(2);
        if (store is not null)
        {
            builder.UseStore(store);
        }

        return await ControlHarness.StartRecordingAsync(builder);
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task Forget_CustomerInAJourney_IsGoneFromMemoryAndStoreAndStartsAfreshLater(string kind)
    {
        var time = new FakeTimeProvider(Start);
        var store = Store(kind);
        try
        {
            var (engine, _) = await StartAsync(store, time);
            await engine.PublishAsync(new CustomerEvent(Erased, "signed_up"));
            await engine.IdentifyAsync(new CustomerProfile(Erased, new Dictionary<string, object?> { ["email"] = Erased + "@example.com" }));
            await engine.PublishAsync(new CustomerEvent("c2", "signed_up"));
            await engine.DrainAsync();

            var result = await engine.ForgetAsync(Erased);
            Assert.Equal((Erased, true), (result.CustomerId, result.Found));
            Assert.Equal(["nurture"], result.RunsEnded);
            Assert.Null(await engine.InspectCustomerAsync(Erased));
            Assert.False((await engine.ForgetAsync(Erased)).Found); // nothing left to erase
            Assert.Null(await ((ICustomerControlStore)store).LoadCustomerAsync(Erased, CancellationToken.None));
            await engine.StopAsync();
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }

        if (kind == "sqlite")
        {
            AssertNothingOfTheIdInTheFile();
        }

        // A restart: c2's timer fires, the erased customer's does not; an event for the id starts a new customer, whom
        // reentry: never would have kept out had anything of the first one been left.
        time.Advance(TimeSpan.FromDays(3));
        store = kind == "sqlite" ? Store(kind) : store;
        try
        {
            var (again, after) = await StartAsync(store, time);
            await again.DrainAsync();
            Assert.Contains(after, d => d.CustomerId == "c2" && d.Kind == DecisionKind.Moved && d.Step == "tips");
            Assert.DoesNotContain(after, d => d.CustomerId == Erased);
            await again.PublishAsync(new CustomerEvent(Erased, "signed_up"));
            await again.DrainAsync();
            var view = await again.InspectCustomerAsync(Erased);
            Assert.NotNull(view);
            Assert.Empty(view.Traits); // the profile went with the first customer
            Assert.Equal(time.GetUtcNow(), view.Runs.Single().EnteredAt);
            await again.StopAsync();
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    /// <summary>Queries the closed file, then reads its bytes: neither a row nor a stray copy of the id is left.</summary>
    private void AssertNothingOfTheIdInTheFile()
    {
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DbPath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT (SELECT count(*) FROM customers WHERE id = $id OR CAST(data AS TEXT) LIKE '%' || $id || '%') + " +
                                  "(SELECT count(*) FROM customer_log WHERE id = $id OR CAST(data AS TEXT) LIKE '%' || $id || '%') + " +
                                  "(SELECT count(*) FROM outbox WHERE key LIKE '%' || $id || '%' OR CAST(data AS TEXT) LIKE '%' || $id || '%')";
            command.Parameters.AddWithValue("$id", Erased);
            Assert.Equal(0L, (long)command.ExecuteScalar()!);
            Assert.Equal(1L, Count(connection, "SELECT count(*) FROM customer_records WHERE id = 'c2'")); // the other customer is kept
        }

        var needle = Encoding.UTF8.GetBytes(Erased);
        foreach (var file in Directory.GetFiles(_folder.Path, "journeys.db*"))
        {
            Assert.True(File.ReadAllBytes(file).AsSpan().IndexOf(needle) < 0, $"{Path.GetFileName(file)} still holds the erased id");
        }
    }

    private static long Count(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task Forget_MessagesWaitingInTheLane_AreCancelledReportedAndTheirRowsErased(string kind)
    {
        var time = new FakeTimeProvider(Start);
        var store = new SignallingStore((ICustomerControlStore)Store(kind), Erased);
        var channel = new GatedChannel();
        try
        {
            var (engine, decisions) = await StartAsync(store, time, channel);
            await engine.PublishAsync(new CustomerEvent("blocker", "signed_up")); // its delivery holds the one strand
            await channel.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
            await engine.PublishAsync(new CustomerEvent(Erased, "signed_up"));
            await store.OutboxSaved.Task.WaitAsync(TimeSpan.FromSeconds(10)); // saved; the worker hands it over before its next item

            var result = await engine.ForgetAsync(Erased);
            channel.Release.TrySetResult();
            await engine.DrainAsync();
            await engine.StopAsync();

            Assert.Equal([$"nurture:1:{Erased}:1:welcome:0"], result.CancelledMessages);
            Assert.Equal(["blocker"], channel.Sent.Select(m => m.CustomerId));                      // never delivered
            Assert.Empty(await store.LoadOutboxAsync(CancellationToken.None));                      // no row left
            Assert.DoesNotContain(decisions, d => d.CustomerId == Erased && d.Kind == DecisionKind.Failed);
        }
        finally
        {
            channel.Release.TrySetResult();
            (store.Inner as IDisposable)?.Dispose();
        }
    }

    [Fact]
    public async Task Forget_WithoutAStore_ErasesTheCustomerFromMemory()
    {
        var time = new FakeTimeProvider(Start);
        var (engine, _) = await StartAsync(null, time);
        await using var _ = engine;
        await engine.PublishAsync(new CustomerEvent("c1", "signed_up"));
        await engine.DrainAsync();

        Assert.True((await engine.ForgetAsync("c1")).Found);
        Assert.Null(await engine.InspectCustomerAsync("c1"));
    }

    [Fact]
    public async Task Forget_StoreWithoutControls_IsNotSupportedAndChangesNothing()
    {
        var time = new FakeTimeProvider(Start);
        var (engine, _) = await StartAsync(new RequiredMembersStore(), time);
        await using var _ = engine;
        await engine.PublishAsync(new CustomerEvent("c1", "signed_up"));
        await engine.DrainAsync();

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => engine.ForgetAsync("c1"));
        Assert.Contains(nameof(ICustomerControlStore), error.Message, StringComparison.Ordinal);
        Assert.NotNull(await engine.InspectCustomerAsync("c1"));
    }

    /// <summary>A channel whose first delivery waits until released, so the messages behind it wait in the lane.</summary>
    private sealed class GatedChannel : IChannel
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<OutboundMessage> Sent { get; } = [];

        public string Name => "push";

        public async ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            await Release.Task.ConfigureAwait(false);
            lock (Sent)
            {
                Sent.Add(message);
            }

            return DeliveryResult.Delivered;
        }
    }

    /// <summary>A store that says when a saved batch added an outbox row of <paramref name="customerId"/>.</summary>
    private sealed class SignallingStore(ICustomerControlStore inner, string customerId) : ICustomerControlStore
    {
        public ICustomerControlStore Inner => inner;

        public TaskCompletionSource OutboxSaved { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IAsyncEnumerable<CustomerRecord> LoadCustomersAsync(CancellationToken cancellationToken) => inner.LoadCustomersAsync(cancellationToken);

        public ValueTask<IReadOnlyList<OutboxRecord>> LoadOutboxAsync(CancellationToken cancellationToken) => inner.LoadOutboxAsync(cancellationToken);

        public async ValueTask SaveChangesAsync(IReadOnlyList<CustomerRecord> customers, IReadOnlyList<OutboxRecord> outboxAdded, IReadOnlyList<string> outboxDone,
            CancellationToken cancellationToken)
        {
            await inner.SaveChangesAsync(customers, outboxAdded, outboxDone, cancellationToken);
            if (outboxAdded.Any(r => r.Key.Contains(customerId, StringComparison.Ordinal)))
            {
                OutboxSaved.TrySetResult();
            }
        }

        public ValueTask<IReadOnlyList<JourneyVersionSource>> LoadJourneyVersionsAsync(CancellationToken cancellationToken) =>
            inner.LoadJourneyVersionsAsync(cancellationToken);

        public ValueTask SaveJourneyVersionsAsync(IReadOnlyList<JourneyVersionSource> versions, CancellationToken cancellationToken) =>
            inner.SaveJourneyVersionsAsync(versions, cancellationToken);

        public ValueTask<CustomerRecord?> LoadCustomerAsync(string id, CancellationToken cancellationToken) => inner.LoadCustomerAsync(id, cancellationToken);

        public ValueTask ForgetCustomerAsync(string id, IReadOnlyList<string> outboxKeys, CancellationToken cancellationToken) =>
            inner.ForgetCustomerAsync(id, outboxKeys, cancellationToken);

        public ValueTask<IReadOnlyList<CustomerAlias>> LoadAliasesAsync(CancellationToken cancellationToken) => inner.LoadAliasesAsync(cancellationToken);

        public ValueTask MergeCustomersAsync(CustomerRecord kept, string mergedId, CancellationToken cancellationToken) =>
            inner.MergeCustomersAsync(kept, mergedId, cancellationToken);
    }
}
