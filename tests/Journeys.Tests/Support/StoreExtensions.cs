using Journeys.Delivery;
using Journeys.Language.Loading;
using Journeys.Persistence;

namespace Journeys.Tests.Support;

/// <summary>The store contract as the tests of the engine's persistence read and write it: snapshots and messages, encoded
/// and decoded as the engine does (<see cref="RecordCodec"/>), in calls that wait. Only for stores whose calls complete
/// synchronously (the in-memory, test and SQLite stores), so nothing here blocks on I/O of its own.</summary>
internal static class StoreExtensions
{
    public static List<CustomerSnapshot> LoadAll(this IJourneyStore store) =>
        Wait(ToListAsync(store.LoadCustomersAsync(CancellationToken.None))).Select(RecordCodec.Decode).ToList();

    public static List<OutboundMessage> LoadOutbox(this IJourneyStore store) =>
        Wait(store.LoadOutboxAsync(CancellationToken.None).AsTask()).Select(RecordCodec.Decode).ToList();

    public static void SaveChanges(this IJourneyStore store, IReadOnlyList<CustomerSnapshot> changed, IReadOnlyList<OutboundMessage>? outboxAdded = null,
        IReadOnlyList<string>? outboxDone = null) =>
        Wait(store.SaveChangesAsync(changed.Select(RecordCodec.Encode).ToList(), (outboxAdded ?? []).Select(RecordCodec.Encode).ToList(), outboxDone ?? [],
            CancellationToken.None).AsTask());

    public static IReadOnlyList<JourneyVersionSource> LoadJourneyVersions(this IJourneyStore store) =>
        Wait(store.LoadJourneyVersionsAsync(CancellationToken.None).AsTask());

    /// <summary>The snapshot a record holds.</summary>
    public static CustomerSnapshot Decoded(this CustomerRecord record) => RecordCodec.Decode(record);

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    private static T Wait<T>(Task<T> task) => task.IsCompleted ? task.GetAwaiter().GetResult() : throw new InvalidOperationException("The store's call did not complete synchronously.");

    private static void Wait(Task task)
    {
        if (!task.IsCompleted)
        {
            throw new InvalidOperationException("The store's call did not complete synchronously.");
        }

        task.GetAwaiter().GetResult();
    }
}
