using Journeys.Persistence;
using Journeys.State;

namespace Journeys.Engine;

/// <summary>Idle eviction (<see cref="JourneyEngineOptions.IdleEviction"/>): a sweep drops the customers with nothing
/// pending that did not change for a whole sweep period; the partition loads one back from the store when an input for
/// it arrives (<see cref="MayBeEvicted"/>, <see cref="Reload"/>).</summary>
internal sealed partial class PartitionProcessor
{
    private long _nextSweepTicks;
    private EvictedIds? _evicted;

    /// <summary>The sweep period (0: no eviction).</summary>
    public long IdleEvictionTicks { get; init; }

    /// <summary>Rebuilds a customer from a snapshot (set by the engine: the current model and versions).</summary>
    public Func<CustomerSnapshot, CustomerState>? RestoreSnapshot { get; init; }

    /// <summary>How many customers the sweeps evicted so far.</summary>
    public long Evicted { get; private set; }

    /// <summary>True once a sweep evicted someone: from then on an input for a customer the table does not hold may have
    /// to be loaded back first.</summary>
    public bool HasEvicted => _evicted is not null;

    /// <summary>When the next sweep is due (null: none, no eviction or no customer).</summary>
    public long? NextSweepTicks => IdleEvictionTicks > 0 && _nextSweepTicks > 0 && _customers.Count > 0 ? _nextSweepTicks : null;

    /// <summary>True when the table does not hold <paramref name="customerId"/> and a sweep may have evicted it (a filter of
    /// evicted ids' hashes: a false "maybe" costs one store read that finds nothing; a "no" is certain, so a new id costs
    /// no read).</summary>
    public bool MayBeEvicted(string customerId)
    {
        if (_evicted is null)
        {
            return false;
        }

        var hash = CustomerTable.Hash(customerId);
        return !_customers.TryGetValue(customerId, hash, out _) && _evicted.MayContain(hash);
    }

    /// <summary>Takes back an evicted customer from its stored record (its timers re-armed, as at a restart).</summary>
    public void Reload(CustomerRecord record)
    {
        var customer = (RestoreSnapshot ?? throw new InvalidOperationException("The engine has not started."))(RecordCodec.Decode(record));
        if (!_customers.TryGetValue(customer.Id, out _))
        {
            Adopt(customer);
        }
    }

    /// <summary>Runs the idle sweep when it is due: evicts each customer that was not changed (nor restored) since the last
    /// sweep and has nothing pending (<see cref="IsSettled"/>), and whose last change is saved (not dirty); clears the mark
    /// of the others. The first call only sets when the first sweep is due. Called by the partition between batches, once
    /// its changes are saved — never within a batch, whose customers were loaded before it. Returns how many it evicted.</summary>
    public int EvictIdle(long nowTicks)
    {
        if (IdleEvictionTicks <= 0 || nowTicks < _nextSweepTicks)
        {
            return 0;
        }

        var first = _nextSweepTicks == 0;
        _nextSweepTicks = CalendarTicks.Add(nowTicks, IdleEvictionTicks);
        if (first)
        {
            return 0;
        }

        List<CustomerState>? idle = null;
        foreach (var customer in _customers)
        {
            if (customer.Touched)
            {
                customer.Touched = false;
            }
            else if (!customer.Dirty && IsSettled(customer))
            {
                (idle ??= []).Add(customer);
            }
        }

        if (idle is null)
        {
            return 0;
        }

        _evicted ??= new EvictedIds();
        foreach (var customer in idle)
        {
            _evicted.Add(CustomerTable.Hash(customer.Id));
            _customers.Remove(customer);
        }

        if (_queue.Count > 0) // stale timers of theirs (a run ended since): dropped so they do not keep the state alive
        {
            var gone = idle.ToHashSet(ReferenceEqualityComparer.Instance);
            _queue.RemoveWhere(e => gone.Contains(e.Customer));
        }

        Evicted += idle.Count;
        return idle.Count;
    }

    /// <summary>Nothing pending: no run, no pending entry check, no held send, no version move to record, no schedule entry
    /// in the model. Such a customer's
    /// saved record is all of them; loading it back re-arms nothing.</summary>
    private bool IsSettled(CustomerState customer)
    {
        // A schedule entry reaches every known customer at each occurrence, from the partition's groups: its customers
        // stay in memory (as a date entry's customers with the trait do).
        if (_schedules is not null || customer.Deferred is not null || _model.Migrations.Of(customer) is not null)
        {
            return false;
        }

        for (var i = 0; i < customer.MemoryCount; i++)
        {
            ref readonly var memory = ref customer.MemoryAt(i);
            if (memory.HasRun || memory.PendingEntryTicks != 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A filter of the hashes of evicted ids: 2^21 bits (256 KB), made at the first eviction. Bits are never
    /// cleared, so the filter fills as ids are evicted; a full filter only costs store reads for new ids.</summary>
    private sealed class EvictedIds
    {
        private const int Bits = 1 << 21;
        private readonly ulong[] _bits = new ulong[Bits / 64];

        public void Add(int hash)
        {
            var bit = (uint)hash % Bits;
            _bits[bit >> 6] |= 1UL << (int)(bit & 63);
        }

        public bool MayContain(int hash)
        {
            var bit = (uint)hash % Bits;
            return (_bits[bit >> 6] & (1UL << (int)(bit & 63))) != 0;
        }
    }
}
