using System.Runtime.InteropServices;

namespace Journeys.State;

/// <summary>Removing customers from a partition's table: an operator's erase or merge, and idle eviction. Rare next to
/// lookups, so it may cost a little: a removal shifts the probe chain behind the slot back (no tombstones, so lookups stay
/// as fast as before), the table halves when it is less than an eighth full, and the shared id array is compacted when
/// most of it belongs to removed customers.</summary>
internal sealed partial class CustomerTable
{
    private int _idsLive; // characters of the shared id array that belong to customers still in the table

    /// <summary>True when <paramref name="customer"/> is the one this table holds under its id (not one removed or
    /// replaced since, which a stale timer may still refer to).</summary>
    public bool Holds(CustomerState customer) =>
        (uint)customer.Slot < (uint)_slots.Length && ReferenceEquals(_slots[customer.Slot].Customer, customer);

    /// <summary>Removes <paramref name="customer"/>; false when the table does not hold it. From then on the customer
    /// holds its id as a string of its own (whatever still refers to it can tell whose it was).</summary>
    public bool Remove(CustomerState customer)
    {
        if (!Holds(customer))
        {
            return false;
        }

        var i = customer.Slot;
        customer.IdHeldBy(IdOf(customer));
        _lastIdOf = null;
        if (_slots[i].IdLength == IdInArray)
        {
            _idsLive -= _slots[i].IdArrayLength;
        }

        _slots[i] = default;
        Count--;

        // Backward-shift deletion: move each later slot of the probe chain whose home is not in (i, j] into the hole.
        for (var j = (i + 1) & _mask; _slots[j].Customer is { } moved; j = (j + 1) & _mask)
        {
            var home = _slots[j].Hash & _mask;
            var stays = i <= j ? i < home && home <= j : i < home || home <= j;
            if (!stays)
            {
                _slots[i] = _slots[j];
                moved.Slot = i;
                _slots[j] = default;
                i = j;
            }
        }

        if (_slots.Length > MinimumCapacity && Count * 8 < _slots.Length)
        {
            Resize(Math.Max(MinimumCapacity, _slots.Length / 2));
        }

        if (_idsLength > 1024 && _idsLive * 2 < _idsLength)
        {
            CompactIds();
        }

        return true;
    }

    /// <summary>Copies the ids still in use to a new shared array of their size (with room to grow), repointing slots.</summary>
    private void CompactIds()
    {
        var ids = new char[Math.Max(256, _idsLive * 2)];
        var length = 0;
        for (var i = 0; i < _slots.Length; i++)
        {
            ref var slot = ref _slots[i];
            if (slot.Customer is not null && slot.IdLength == IdInArray)
            {
                var count = slot.IdArrayLength;
                _ids.AsSpan(slot.IdStart, count).CopyTo(ids.AsSpan(length));
                MemoryMarshal.Write(slot.Id, length);
                length += count;
            }
        }

        _ids = ids;
        _idsLength = length;
    }

    /// <summary>The number of slots (tests: the table shrinks as customers leave).</summary>
    internal int Capacity => _slots.Length;
}
