using Journeys.Delivery;
using Journeys.Language.Loading;

namespace Journeys.Persistence;

/// <summary>Where the engine keeps customers' state between restarts, and the delivery outbox. The engine works on its
/// partitions' memory and hands each partition's changed customers to the store after every batch of work, as snapshots,
/// together with the messages that batch decided to send (the outbox) and the messages whose delivery has ended since;
/// at start it reads every snapshot back, rebuilds timers and re-delivers the outbox.
/// Implementations are called from several partition workers at once and must be thread-safe.
/// <para>A store also keeps the journey versions the engine runs (<see cref="LoadJourneyVersions"/>,
/// <see cref="SaveJourneyVersions"/>), so customers can finish on an older version after a newer one is deployed. Both
/// have default implementations that keep nothing: a store written before they existed still works, and its customers
/// inside an older version move to the new one at start, as with <c>versioning: migrate</c>.</para></summary>
public interface IJourneyStore
{
    /// <summary>Every stored customer; read once when the engine starts.</summary>
    IEnumerable<CustomerSnapshot> LoadAll();

    /// <summary>The outbox: messages a saved batch decided to send whose delivery was not recorded as ended, in the
    /// order they were added; read once when the engine starts, which delivers them again with the same keys.</summary>
    IReadOnlyList<OutboundMessage> LoadOutbox();

    /// <summary>Persists one partition batch atomically, called from that partition's worker: the customers it changed
    /// since its last call, the messages it decided to send (added to the outbox, keyed by
    /// <see cref="OutboundMessage.IdempotencyKey"/>; a key already there is replaced in its place in the order — the
    /// engine re-adds a message in flight to record its <see cref="OutboundMessage.PreviousAttempts"/>, which
    /// <see cref="LoadOutbox"/> must return), and the keys of messages whose delivery has ended (removed from the outbox
    /// before the additions). Either all of it is kept or none of it.</summary>
    void SaveChanges(IReadOnlyList<CustomerSnapshot> changed, IReadOnlyList<OutboundMessage>? outboxAdded = null,
        IReadOnlyList<string>? outboxDone = null);

    /// <summary>The journey versions saved by the last <see cref="SaveJourneyVersions"/> call; read once when the engine
    /// starts. The default keeps none.</summary>
    IReadOnlyList<JourneyVersionSource> LoadJourneyVersions() => [];

    /// <summary>Replaces the stored journey versions with <paramref name="versions"/> (at most one per journey id and
    /// version): the versions the engine starting now runs, the current ones and those older ones customers are still
    /// inside. Called once when the engine is built, before any customer is saved. The default keeps nothing.</summary>
    void SaveJourneyVersions(IReadOnlyList<JourneyVersionSource> versions)
    {
    }
}
