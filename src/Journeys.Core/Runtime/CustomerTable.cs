using System.Collections;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

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

    /// <summary>Asks the CPU to start loading what a lookup of <paramref name="id"/> will read, so that the loads of
    /// several lookups overlap instead of waiting one after the other (memory-level parallelism). <paramref name="deep"/>
    /// false: the slot only. True: the slot is read (so an earlier shallow prefetch should have brought it) and the
    /// customer it holds is prefetched: the state and, just before it, its id. A lookup stays correct whatever was
    /// prefetched; on CPUs without a prefetch instruction this does nothing.
    /// <para>Why this is safe: a prefetch is a hint that never faults and never changes program state. The customer's
    /// address is read from a reference and used only as that hint; if a garbage collection moves the object in between,
    /// the hint warms a stale line and the lookup simply misses as it would have.</para></summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Prefetch(string id, bool deep)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        var hash = id.GetHashCode();
        ref var slot = ref _slots[hash & _mask];
        if (!deep)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref slot));
            return;
        }

        if (slot.Customer is { } customer)
        {
            var address = (byte*)Unsafe.As<CustomerState, nint>(ref customer);
            Sse.Prefetch0(address - 64); // the id, allocated right before the state
            Sse.Prefetch0(address);
            Sse.Prefetch0(address + 64);
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
