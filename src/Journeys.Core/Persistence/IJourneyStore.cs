namespace Journeys.Persistence;

/// <summary>Where the engine keeps customers' state between restarts. The engine works on its partitions' memory and
/// hands each partition's changed customers to the store after every batch of work, as snapshots; at start it reads
/// every snapshot back and rebuilds timers (timers due while it was down fire at once, in order).
/// Implementations are called from several partition workers at once and must be thread-safe.</summary>
public interface IJourneyStore
{
    /// <summary>Every stored customer; read once when the engine starts.</summary>
    IEnumerable<CustomerSnapshot> LoadAll();

    /// <summary>Persists the customers a partition changed since its last call; called from that partition's worker.</summary>
    void SaveChanges(IReadOnlyList<CustomerSnapshot> changed);
}
