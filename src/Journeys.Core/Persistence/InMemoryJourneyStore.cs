using Journeys.Delivery;
using Journeys.Language.Loading;

namespace Journeys.Persistence;

/// <summary>Keeps the latest snapshot of every customer, and the outbox, in memory: an engine built later with the same
/// store resumes where the previous one stopped (within one process). Without any store, an engine keeps state in its
/// partitions only.</summary>
public sealed class InMemoryJourneyStore : IJourneyStore
{
    private readonly Lock _gate = new(); // one batch at a time, so a batch is seen whole or not at all
    private readonly Dictionary<string, CustomerSnapshot> _customers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Order, OutboundMessage Message)> _outbox = new(StringComparer.Ordinal);
    private long _added;
    private volatile JourneyVersionSource[] _versions = [];

    /// <summary>How many customers are stored.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _customers.Count;
            }
        }
    }

    /// <summary>The stored snapshot of a customer, or null.</summary>
    public CustomerSnapshot? Find(string customerId)
    {
        lock (_gate)
        {
            return _customers.TryGetValue(customerId, out var s) ? s : null;
        }
    }

    /// <inheritdoc />
    public IEnumerable<CustomerSnapshot> LoadAll()
    {
        lock (_gate)
        {
            return _customers.Values.OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<OutboundMessage> LoadOutbox()
    {
        lock (_gate)
        {
            return _outbox.Values.OrderBy(e => e.Order).Select(e => e.Message).ToList();
        }
    }

    /// <inheritdoc />
    public void SaveChanges(IReadOnlyList<CustomerSnapshot> changed, IReadOnlyList<OutboundMessage>? outboxAdded = null,
        IReadOnlyList<string>? outboxDone = null)
    {
        ArgumentNullException.ThrowIfNull(changed);
        lock (_gate)
        {
            foreach (var snapshot in changed)
            {
                _customers[snapshot.Id] = snapshot;
            }

            foreach (var key in outboxDone ?? [])
            {
                _outbox.Remove(key);
            }

            foreach (var message in outboxAdded ?? [])
            {
                // A key already there keeps its place in the order (an attempt count saved), as in SQLite.
                _outbox[message.IdempotencyKey] = (_outbox.TryGetValue(message.IdempotencyKey, out var known) ? known.Order : _added++, message);
            }
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
