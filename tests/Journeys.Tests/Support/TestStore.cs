using Journeys.Diagnostics;
using Journeys.Language.Loading;
using Journeys.Persistence;

namespace Journeys.Tests.Support;

/// <summary>An <see cref="InMemoryJourneyStore"/> for tests of what the engine hands a store: it can fail like a full
/// disk, logs each batch it saved (in <see cref="Log"/>, which a test's channel may share so the order of saves and
/// sends shows), and runs <see cref="OnSave"/> inside each save, before it is applied.</summary>
internal sealed class TestStore : IJourneyStore
{
    private int _saves;

    public InMemoryJourneyStore Inner { get; } = new();

    /// <summary>While true, every save throws a <see cref="JourneyStoreException"/> ("disk full") and keeps nothing.</summary>
    public volatile bool Failing;

    /// <summary>Called with the save's number (1 for the first) on the partition's worker, before it is applied.</summary>
    public Action<int>? OnSave { get; init; }

    /// <summary>Called with each batch once it is saved (on the partition's worker).</summary>
    public Action<(string[] Changed, string[] Added, string[] Done)>? OnSaved { get; init; }

    /// <summary>What happened, in order: <c>save [customers] +[keys added] -[keys done]</c>, and whatever else was added.</summary>
    public List<string> Log { get; } = [];

    /// <summary>Each saved batch: the customers, the outbox keys added and the outbox keys done.</summary>
    public List<(string[] Changed, string[] Added, string[] Done)> Batches { get; } = [];

    public IAsyncEnumerable<CustomerRecord> LoadCustomersAsync(CancellationToken cancellationToken) => Inner.LoadCustomersAsync(cancellationToken);

    public ValueTask<IReadOnlyList<OutboxRecord>> LoadOutboxAsync(CancellationToken cancellationToken) => Inner.LoadOutboxAsync(cancellationToken);

    public ValueTask<IReadOnlyList<JourneyVersionSource>> LoadJourneyVersionsAsync(CancellationToken cancellationToken) =>
        Inner.LoadJourneyVersionsAsync(cancellationToken);

    public ValueTask SaveJourneyVersionsAsync(IReadOnlyList<JourneyVersionSource> versions, CancellationToken cancellationToken) =>
        Inner.SaveJourneyVersionsAsync(versions, cancellationToken);

    public async ValueTask SaveChangesAsync(IReadOnlyList<CustomerRecord> customers, IReadOnlyList<OutboxRecord> outboxAdded, IReadOnlyList<string> outboxDone,
        CancellationToken cancellationToken)
    {
        OnSave?.Invoke(Interlocked.Increment(ref _saves));
        if (Failing)
        {
            throw new JourneyStoreException("/data/journeys.db", "disk full");
        }

        await Inner.SaveChangesAsync(customers, outboxAdded, outboxDone, cancellationToken);
        var batch = (customers.Select(c => c.Id).ToArray(), outboxAdded.Select(m => m.Key).ToArray(), outboxDone.ToArray());
        lock (Log)
        {
            Batches.Add(batch);
            Log.Add($"save [{string.Join(",", batch.Item1)}] +[{string.Join(",", batch.Item2)}] -[{string.Join(",", batch.Item3)}]");
        }

        OnSaved?.Invoke(batch);
    }
}
