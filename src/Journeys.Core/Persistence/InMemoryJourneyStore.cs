using System.Collections.Concurrent;

namespace Journeys.Persistence;

/// <summary>Keeps the latest snapshot of every customer in memory: an engine built later with the same store resumes
/// where the previous one stopped (within one process). Without any store, an engine keeps state in its partitions only.</summary>
public sealed class InMemoryJourneyStore : IJourneyStore
{
    private readonly ConcurrentDictionary<string, CustomerSnapshot> _customers = new(StringComparer.Ordinal);
    private volatile JourneyVersionSource[] _versions = [];

    /// <summary>How many customers are stored.</summary>
    public int Count => _customers.Count;

    /// <summary>The stored snapshot of a customer, or null.</summary>
    public CustomerSnapshot? Find(string customerId) => _customers.TryGetValue(customerId, out var s) ? s : null;

    /// <inheritdoc />
    public IEnumerable<CustomerSnapshot> LoadAll() => _customers.Values.OrderBy(c => c.Id, StringComparer.Ordinal).ToList();

    /// <inheritdoc />
    public void SaveChanges(IReadOnlyList<CustomerSnapshot> changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        foreach (var snapshot in changed)
        {
            _customers[snapshot.Id] = snapshot;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<JourneyVersionSource> LoadJourneyVersions() => _versions;

    /// <inheritdoc />
    public void SaveJourneyVersions(IReadOnlyList<JourneyVersionSource> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        _versions = [.. versions];
    }
}
