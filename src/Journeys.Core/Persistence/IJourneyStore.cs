using Journeys.Delivery;

namespace Journeys.Persistence;

/// <summary>Where the engine keeps customers' state between restarts, and the delivery outbox. The engine works on its
/// partitions' memory and hands each partition's changed customers to the store after every batch of work, as snapshots,
/// together with the messages that batch decided to send (the outbox) and the messages whose delivery has ended since;
/// at start it reads every snapshot back, rebuilds timers and re-delivers the outbox.
/// Implementations are called from several partition workers at once and must be thread-safe.</summary>
public interface IJourneyStore
{
    /// <summary>Every stored customer; read once when the engine starts.</summary>
    IEnumerable<CustomerSnapshot> LoadAll();

    /// <summary>The outbox: messages a saved batch decided to send whose delivery was not recorded as ended, in the
    /// order they were added; read once when the engine starts, which delivers them again with the same keys.</summary>
    IReadOnlyList<OutboundMessage> LoadOutbox();

    /// <summary>Persists one partition batch atomically, called from that partition's worker: the customers it changed
    /// since its last call, the messages it decided to send (added to the outbox, keyed by
    /// <see cref="OutboundMessage.IdempotencyKey"/>; a key already there is replaced), and the keys of messages whose
    /// delivery has ended (removed from the outbox before the additions). Either all of it is kept or none of it.</summary>
    void SaveChanges(IReadOnlyList<CustomerSnapshot> changed, IReadOnlyList<OutboundMessage>? outboxAdded = null,
        IReadOnlyList<string>? outboxDone = null);
}
