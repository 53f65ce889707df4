namespace Journeys.Persistence;

/// <summary>Where the engine keeps customers' state between restarts. The engine works on its partitions' memory and
/// hands each partition's changed customers to the store after every batch of work, as snapshots; at start it reads
/// every snapshot back and rebuilds timers (timers due while it was down fire at once, in order).
/// Implementations are called from several partition workers at once and must be thread-safe.
/// <para>A store also keeps the journey versions the engine runs (<see cref="LoadJourneyVersions"/>,
/// <see cref="SaveJourneyVersions"/>), so customers can finish on an older version after a newer one is deployed. Both
/// have default implementations that keep nothing: a store written before they existed still works, and its customers
/// inside an older version move to the new one at start, as with <c>versioning: migrate</c>.</para></summary>
public interface IJourneyStore
{
    /// <summary>Every stored customer; read once when the engine starts.</summary>
    IEnumerable<CustomerSnapshot> LoadAll();

    /// <summary>Persists the customers a partition changed since its last call; called from that partition's worker.</summary>
    void SaveChanges(IReadOnlyList<CustomerSnapshot> changed);

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
