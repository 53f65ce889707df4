using System.Runtime.CompilerServices;
using Journeys.Language.Loading;

namespace Journeys.Persistence;

/// <summary>Keeps the latest record of every customer, the outbox and the journey versions in memory: an engine built
/// later with the same store resumes where the previous one stopped (within one process). Without any store, an engine
/// keeps state in its partitions only. Every call completes synchronously.</summary>
public sealed class InMemoryJourneyStore : ICustomerControlStore
{
    private readonly Lock _gate = new(); // one batch at a time, so a batch is seen whole or not at all
    private readonly Dictionary<string, CustomerRecord> _customers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Order, OutboxRecord Record)> _outbox = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _aliases = new(StringComparer.Ordinal);
    private long _added;
    private volatile JourneyVersionSource[] _versions = [];
    private volatile string[] _paused = [];
    private long _clockTicks = -1; // the committed clock's UTC ticks; -1: none saved

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

    /// <summary>The stored record of a customer, or null.</summary>
    /// <param name="customerId">The customer's id.</param>
    /// <returns>The record as last saved.</returns>
    public CustomerRecord? Find(string customerId)
    {
        lock (_gate)
        {
            return _customers.GetValueOrDefault(customerId);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<CustomerRecord> LoadCustomersAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        List<CustomerRecord> all;
        lock (_gate)
        {
            all = _customers.Values.OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
        }

        foreach (var record in all)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return record;
        }

        await Task.CompletedTask.ConfigureAwait(false); // nothing to wait for: the records are in memory
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<OutboxRecord>> LoadOutboxAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<OutboxRecord>>(_outbox.Values.OrderBy(e => e.Order).Select(e => e.Record).ToList());
        }
    }

    /// <inheritdoc />
    public ValueTask SaveChangesAsync(IReadOnlyList<CustomerRecord> customers, IReadOnlyList<OutboxRecord> outboxAdded, IReadOnlyList<string> outboxDone,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(outboxAdded);
        ArgumentNullException.ThrowIfNull(outboxDone);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            foreach (var record in customers)
            {
                _customers[record.Id] = record;
            }

            foreach (var key in outboxDone)
            {
                _outbox.Remove(key);
            }

            foreach (var record in outboxAdded)
            {
                // A key already there keeps its place in the order (an attempt count saved), as in SQLite.
                _outbox[record.Key] = (_outbox.TryGetValue(record.Key, out var known) ? known.Order : _added++, record);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<CustomerRecord?> LoadCustomerAsync(string customerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Find(customerId));
    }

    /// <inheritdoc />
    public ValueTask ForgetCustomerAsync(string customerId, IReadOnlyList<string> outboxKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        ArgumentNullException.ThrowIfNull(outboxKeys);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _customers.Remove(customerId);
            foreach (var key in outboxKeys)
            {
                _outbox.Remove(key);
            }

            foreach (var (alias, target) in _aliases.ToList())
            {
                if (alias == customerId || target == customerId)
                {
                    _aliases.Remove(alias);
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CustomerAlias>> LoadAliasesAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<CustomerAlias>>(_aliases.Select(a => new CustomerAlias(a.Key, a.Value)).ToList());
        }
    }

    /// <inheritdoc />
    public ValueTask MergeCustomersAsync(CustomerRecord kept, string mergedId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kept);
        ArgumentException.ThrowIfNullOrEmpty(mergedId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _customers[kept.Id] = kept;
            _customers.Remove(mergedId);
            foreach (var (alias, target) in _aliases.ToList())
            {
                if (target == mergedId)
                {
                    _aliases[alias] = kept.Id;
                }
            }

            _aliases.Remove(kept.Id);
            _aliases[mergedId] = kept.Id;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<JourneyVersionSource>> LoadJourneyVersionsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IReadOnlyList<JourneyVersionSource>>(_versions);
    }

    /// <inheritdoc />
    public ValueTask SaveJourneyVersionsAsync(IReadOnlyList<JourneyVersionSource> versions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(versions);
        cancellationToken.ThrowIfCancellationRequested();
        _versions = [.. versions];
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> LoadPausedJourneysAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IReadOnlyList<string>>(_paused);
    }

    /// <inheritdoc />
    public ValueTask SavePausedJourneysAsync(IReadOnlyList<string> journeyIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journeyIds);
        cancellationToken.ThrowIfCancellationRequested();
        _paused = [.. journeyIds];
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<DateTimeOffset?> LoadCommittedClockAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var ticks = Interlocked.Read(ref _clockTicks);
        return ValueTask.FromResult<DateTimeOffset?>(ticks < 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero));
    }

    /// <inheritdoc />
    public ValueTask SaveCommittedClockAsync(DateTimeOffset clock, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Exchange(ref _clockTicks, clock.UtcTicks);
        return ValueTask.CompletedTask;
    }
}
