using Journeys.Delivery;
using Journeys.Diagnostics;
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

    public IEnumerable<CustomerSnapshot> LoadAll() => Inner.LoadAll();

    public IReadOnlyList<OutboundMessage> LoadOutbox() => Inner.LoadOutbox();

    public void SaveChanges(IReadOnlyList<CustomerSnapshot> changed, IReadOnlyList<OutboundMessage>? outboxAdded = null,
        IReadOnlyList<string>? outboxDone = null)
    {
        OnSave?.Invoke(Interlocked.Increment(ref _saves));
        if (Failing)
        {
            throw new JourneyStoreException("/data/journeys.db", "disk full");
        }

        Inner.SaveChanges(changed, outboxAdded, outboxDone);
        var batch = (changed.Select(c => c.Id).ToArray(), (outboxAdded ?? []).Select(m => m.IdempotencyKey).ToArray(), (outboxDone ?? []).ToArray());
        lock (Log)
        {
            Batches.Add(batch);
            Log.Add($"save [{string.Join(",", batch.Item1)}] +[{string.Join(",", batch.Item2)}] -[{string.Join(",", batch.Item3)}]");
        }

        OnSaved?.Invoke(batch);
    }
}
