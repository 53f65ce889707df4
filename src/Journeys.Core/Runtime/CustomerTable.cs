using System.Collections;
using System.Runtime.CompilerServices;

namespace Journeys.Runtime;

/// <summary>A partition's customers by id: an open-addressing table of <c>(hash, customer)</c> slots with linear probing.
/// It exists for the per-event path, which is bound by cache misses when customers outnumber the caches: a lookup reads
/// one slot (16 bytes, four to a cache line), compares the full hash before touching the customer, and then reads the
/// customer and its id, which the partition allocates side by side. A <see cref="Dictionary{TKey,TValue}"/> reads a
/// bucket, an entry, the key string and the value, each a miss of its own.
/// <para>The hash is <see cref="string.GetHashCode()"/> (randomised per process), so ids an attacker chooses cannot
/// force collisions. Customers are never removed. Single-threaded, like its partition.</para></summary>
internal sealed class CustomerTable : IEnumerable<CustomerState>
{
    private const int MinimumCapacity = 16;

    private Slot[] _slots = new Slot[MinimumCapacity];
    private int _mask = MinimumCapacity - 1;

    private struct Slot
    {
        public int Hash;
        public CustomerState? Customer;
    }

    /// <summary>How many customers the table holds.</summary>
    public int Count { get; private set; }

    /// <summary>Finds a customer by id.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetValue(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CustomerState? customer)
    {
        var hash = id.GetHashCode();
        var slots = _slots;
        for (var i = hash & _mask; ; i = (i + 1) & _mask)
        {
            ref var slot = ref slots[i];
            if (slot.Customer is not { } candidate)
            {
                customer = null;
                return false;
            }

            if (slot.Hash == hash && string.Equals(candidate.Id, id, StringComparison.Ordinal))
            {
                customer = candidate;
                return true;
            }
        }
    }

    /// <summary>Adds a customer, or replaces the one with the same id.</summary>
    public void Set(CustomerState customer)
    {
        var hash = customer.Id.GetHashCode();
        for (var i = hash & _mask; ; i = (i + 1) & _mask)
        {
            ref var slot = ref _slots[i];
            if (slot.Customer is null)
            {
                slot = new Slot { Hash = hash, Customer = customer };
                if (++Count * 2 > _slots.Length)
                {
                    Grow();
                }

                return;
            }

            if (slot.Hash == hash && string.Equals(slot.Customer.Id, customer.Id, StringComparison.Ordinal))
            {
                slot.Customer = customer;
                return;
            }
        }
    }

    private void Grow()
    {
        var old = _slots;
        _slots = new Slot[old.Length * 2];
        _mask = _slots.Length - 1;
        foreach (var slot in old)
        {
            if (slot.Customer is null)
            {
                continue;
            }

            var i = slot.Hash & _mask;
            while (_slots[i].Customer is not null)
            {
                i = (i + 1) & _mask;
            }

            _slots[i] = slot;
        }
    }

    /// <summary>The customers, in no particular order.</summary>
    public IEnumerator<CustomerState> GetEnumerator()
    {
        foreach (var slot in _slots)
        {
            if (slot.Customer is { } customer)
            {
                yield return customer;
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
