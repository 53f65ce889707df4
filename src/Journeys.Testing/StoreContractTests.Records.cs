using Journeys.Delivery;
using Journeys.Persistence;
using Journeys.State;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Testing;

/// <summary>The store contract on records, outside any engine: payloads kept byte for byte with their format version,
/// a batch's customers and outbox changes applied together, the outbox's order, and cancellation honoured.</summary>
public abstract partial class StoreContractTests<TStore>
    where TStore : class, IJourneyStore
{
    /// <summary>A payload no text encoding would keep: every byte value, a NUL first and invalid UTF-8.</summary>
    private static readonly byte[] AnyBytes = [0x00, 0xFF, 0xFE, 0xC3, 0x28, .. Enumerable.Range(0, 256).Select(i => (byte)i), 0x00];

    private static ReadOnlyMemory<byte> B(params byte[] bytes) => bytes;

    /// <summary>Uses the store as an engine starting now would, outside any engine.</summary>
    private async Task<T> WithStoreAsync<T>(Func<TStore, Task<T>> use)
    {
        var store = OpenStore();
        try
        {
            return await use(store);
        }
        finally
        {
            CloseStore(store);
        }
    }

    private Task SaveAsync(IReadOnlyList<CustomerRecord> customers, IReadOnlyList<OutboxRecord>? added = null, IReadOnlyList<string>? done = null) =>
        WithStoreAsync(async store =>
        {
            await store.SaveChangesAsync(customers, added ?? [], done ?? [], CancellationToken.None);
            return 0;
        });

    private Task<List<CustomerRecord>> CustomersAsync() => WithStoreAsync(async store =>
    {
        var all = new List<CustomerRecord>();
        await foreach (var record in store.LoadCustomersAsync(CancellationToken.None))
        {
            all.Add(record);
        }

        return all.OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
    });

    private Task<IReadOnlyList<OutboxRecord>> OutboxAsync() => WithStoreAsync(store => store.LoadOutboxAsync(CancellationToken.None).AsTask());

    private static void AssertSame(IEnumerable<(string Key, int Version, byte[] Data)> expected, IEnumerable<(string Key, int Version, ReadOnlyMemory<byte> Data)> actual) =>
        Assert.Equal(expected.Select(e => (e.Key, e.Version, Convert.ToHexString(e.Data))), actual.Select(a => (a.Key, a.Version, Convert.ToHexString(a.Data.Span))));

    /// <summary>Customer records come back byte for byte with their format version, whatever the bytes and however long.</summary>
    [Fact]
    public async Task SaveChanges_CustomerRecords_LoadedBackByteForByteWithTheirVersion()
    {
        var large = Enumerable.Range(0, 1 << 20).Select(i => (byte)(i * 31)).ToArray();
        await SaveAsync([new("c1", 1, AnyBytes), new("c2", 7, large), new("c3 \"李\"", 1, Array.Empty<byte>()), new("c4", 2, AnyBytes.AsMemory(3, 9))]);

        AssertSame([("c1", 1, AnyBytes), ("c2", 7, large), ("c3 \"李\"", 1, []), ("c4", 2, AnyBytes[3..12])],
            (await CustomersAsync()).Select(r => (r.Id, r.Version, r.Data)));
    }

    /// <summary>Saving a customer again replaces its record, version and payload, and keeps one record per id.</summary>
    [Fact]
    public async Task SaveChanges_SameCustomerAgain_ReplacesItsRecord()
    {
        await SaveAsync([new("c1", 1, AnyBytes), new("c2", 1, B(1))]);
        await SaveAsync([new("c1", 2, B(42))]);

        AssertSame([("c1", 2, [42]), ("c2", 1, [1])], (await CustomersAsync()).Select(r => (r.Id, r.Version, r.Data)));
    }

    /// <summary>Outbox records come back byte for byte, in the order they were first added; one added again keeps its place
    /// with its new payload (an attempt count the engine saved).</summary>
    [Fact]
    public async Task SaveChanges_OutboxRecords_LoadedBackByteForByteInTheOrderFirstAdded()
    {
        await SaveAsync([], [new("k2", 1, AnyBytes), new("k1", 1, B(1)), new("k3", 3, B(3))]);
        await SaveAsync([], [new("k1", 2, B(1, 1))]);

        AssertSame([("k2", 1, AnyBytes), ("k1", 2, [1, 1]), ("k3", 3, [3])], (await OutboxAsync()).Select(r => (r.Key, r.Version, r.Data)));
    }

    /// <summary>A batch's done keys are removed from the outbox before the batch's own records are added; unknown keys are ignored.</summary>
    [Fact]
    public async Task SaveChanges_OutboxDone_RemovesTheRecordsBeforeAddingTheBatchsOwn()
    {
        await SaveAsync([], [new("k1", 1, B(1)), new("k2", 1, B(2)), new("k3", 1, B(3))]);
        await SaveAsync([], [new("k2", 1, B(22)), new("k4", 1, B(4))], ["k1", "k2"]); // k2 ended, then decided again

        AssertSame([("k3", 1, [3]), ("k2", 1, [22]), ("k4", 1, [4])], (await OutboxAsync()).Select(r => (r.Key, r.Version, r.Data)));
        await SaveAsync([], [], ["k2", "k3", "k4", "unknown"]);
        Assert.Empty(await OutboxAsync());
    }

    /// <summary>One save's customers and outbox changes are seen together: whoever reads the customers of a batch then
    /// reads an outbox at least as new, and whoever reads a batch's outbox then reads customers at least as new.</summary>
    [Fact]
    public async Task SaveChanges_CustomersAndOutboxOfOneBatch_SeenTogether()
    {
        const int batches = 150;
        var store = OpenStore();
        try
        {
            static int Generation(ReadOnlyMemory<byte> data) => BitConverter.ToInt32(data.Span);
            var writer = Task.Run(async () =>
            {
                for (var g = 1; g <= batches; g++)
                {
                    var payload = BitConverter.GetBytes(g);
                    await store.SaveChangesAsync([new("a", 1, payload), new("b", 1, payload)], [new($"k{g}", 1, payload)], [$"k{g - 1}"],
                        CancellationToken.None);
                }
            });

            for (var reads = 0; !writer.IsCompleted || reads < 2; reads++)
            {
                var customers = new List<int>();
                await foreach (var record in store.LoadCustomersAsync(CancellationToken.None))
                {
                    customers.Add(Generation(record.Data));
                }

                var outbox = (await store.LoadOutboxAsync(CancellationToken.None)).Select(r => Generation(r.Data)).ToList();
                var customersAfter = new List<int>();
                await foreach (var record in store.LoadCustomersAsync(CancellationToken.None))
                {
                    customersAfter.Add(Generation(record.Data));
                }

                Assert.True(outbox.Count <= 1, $"the outbox holds {outbox.Count} records: a batch's removal and addition were not applied together");
                var seenOutbox = outbox.DefaultIfEmpty(0).Single();
                Assert.True(customers.DefaultIfEmpty(0).Max() <= seenOutbox, "customers of a batch were seen before its outbox");
                Assert.True(seenOutbox <= customersAfter.DefaultIfEmpty(0).Min(), "a batch's outbox was seen before its customers");
            }

            await writer;
        }
        finally
        {
            CloseStore(store);
        }
    }

    /// <summary>A save cancelled before it starts throws <see cref="OperationCanceledException"/> and keeps nothing.</summary>
    [Fact]
    public async Task SaveChanges_Cancelled_ThrowsAndKeepsNothing()
    {
        await SaveAsync([new("c1", 1, B(1))], [new("k1", 1, B(1))]);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await WithStoreAsync(async store =>
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
                await store.SaveChangesAsync([new("c1", 1, B(2)), new("c2", 1, B(2))], [new("k2", 1, B(2))], ["k1"], cancelled.Token));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
                await store.SaveJourneyVersionsAsync([new("a", 1, "journey: a")], cancelled.Token));
            return 0;
        });

        AssertSame([("c1", 1, [1])], (await CustomersAsync()).Select(r => (r.Id, r.Version, r.Data)));
        AssertSame([("k1", 1, [1])], (await OutboxAsync()).Select(r => (r.Key, r.Version, r.Data)));
        Assert.Empty(await WithStoreAsync(store => store.LoadJourneyVersionsAsync(CancellationToken.None).AsTask()));
    }

    /// <summary>Each load cancelled before it starts throws <see cref="OperationCanceledException"/>.</summary>
    [Fact]
    public async Task Loads_Cancelled_Throw()
    {
        await SaveAsync([new("c1", 1, B(1))], [new("k1", 1, B(1))]);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await WithStoreAsync(async store =>
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                await foreach (var _ in store.LoadCustomersAsync(cancelled.Token))
                {
                }
            });
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.LoadOutboxAsync(cancelled.Token));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.LoadJourneyVersionsAsync(cancelled.Token));
            return 0;
        });
    }

    /// <summary>What a crash leaves: <paramref name="customer"/> signs up, the message is decided and saved, and the process
    /// dies before its delivery ended. An engine runs it with a channel that holds the delivery; the store's outbox is
    /// copied meanwhile and written back after that engine stopped. Returns the message as first decided.</summary>
    private async Task<OutboundMessage> CrashedWithAMessageInTheOutboxAsync(FakeTimeProvider time, string customer)
    {
        var channel = new HoldingChannel();
        IReadOnlyList<OutboxRecord> outbox = [];
        await RunAsync(time, async e =>
        {
            await e.PublishAsync(new CustomerEvent(customer, "signed_up", time.GetUtcNow()));
            await channel.Held.WaitAsync(TimeSpan.FromSeconds(30)); // handed over: saved first
            outbox = await _running!.LoadOutboxAsync(CancellationToken.None); // the engine's own store: a file may be open once
            channel.Release();
        }, drain: false, through: channel);
        Assert.Single(outbox);
        await SaveAsync([], outbox);
        return await channel.Held;
    }

    /// <summary>A channel that holds its first delivery until released.</summary>
    private sealed class HoldingChannel : IChannel
    {
        private readonly TaskCompletionSource<OutboundMessage> _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<OutboundMessage> Held => _held.Task;

        public string Name => RecordingChannel.AnyName;

        public void Release() => _released.TrySetResult();

        public async ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
        {
            _held.TrySetResult(message);
            await _released.Task;
            return DeliveryResult.Delivered;
        }
    }
}
