using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Journeys.State;

namespace Journeys.Timers;

/// <summary>A partition's timers: a 4-ary min-heap of 32-byte <see cref="TimerEntry"/> values ordered by due time, and
/// among timers due at the same time by the order they were queued in (first in, first fired). The key lives in the
/// entry, so a timer takes 32 bytes, where a <see cref="PriorityQueue{TElement, TPriority}"/> with a separate
/// (due, sequence) priority takes 48. Single-threaded, like its partition.
/// <para>While a partition catches up with live input, the queue can also index its timers by customer
/// (<see cref="IndexByCustomer"/>), so that one customer's due timers are taken out of order
/// (<see cref="TryTakeDueOf"/>) without a scan of the heap. A timer taken that way stays in the heap, marked taken in the
/// index, and is dropped when it reaches the top: a heap cannot remove an entry it cannot find.</para></summary>
internal sealed class TimerQueue
{
    private const int Arity = 4;

    private TimerEntry[] _heap = new TimerEntry[16];
    private int _size; // entries in the heap, taken ones included
    private uint _nextSequence;

    // The index by customer (null when off): per customer, the head of a chain of nodes, one node per entry in the heap.
    // Nodes sit in one array with a free list, so the index costs about 40 bytes per timer and one dictionary entry per
    // customer, and nothing at all while off.
    private Dictionary<CustomerState, int>? _heads;
    private Node[] _nodes = [];
    private int _freeNode = -1;
    private int _usedNodes;
    private int _taken; // entries taken out of order that are still in the heap

    private struct Node
    {
        public TimerEntry Entry;
        public int Next; // the next node of the same customer, or -1
        public bool Taken;
    }

    /// <summary>An empty queue.</summary>
    public TimerQueue()
    {
    }

    /// <summary>An empty queue whose sequence numbers start at <paramref name="firstSequence"/> (tests: to reach the
    /// point where they are renumbered).</summary>
    internal TimerQueue(uint firstSequence) => _nextSequence = firstSequence;

    /// <summary>How many timers are queued (not counting those taken out of order).</summary>
    public int Count => _size - _taken;

    /// <summary>True while the timers are indexed by customer (see <see cref="IndexByCustomer"/>).</summary>
    public bool IsIndexedByCustomer => _heads is not null;

    /// <summary>Queues a timer behind those queued before it with the same due time.</summary>
    public void Enqueue(in TimerEntry entry)
    {
        if (_nextSequence == uint.MaxValue)
        {
            Renumber();
        }

        if (_size == _heap.Length)
        {
            Array.Resize(ref _heap, _heap.Length * 2);
        }

        var queued = entry.WithSequence(_nextSequence++);
        SiftUp(_size++, queued);
        if (_heads is not null)
        {
            AddToIndex(queued);
        }
    }

    /// <summary>The timer that fires first, if any.</summary>
    public bool TryPeek(out TimerEntry entry)
    {
        DropTakenAtTop();
        if (_size == 0)
        {
            entry = default;
            return false;
        }

        entry = _heap[0];
        return true;
    }

    /// <summary>Removes and returns the timer that fires first.</summary>
    public TimerEntry Dequeue()
    {
        DropTakenAtTop();
        if (_size == 0)
        {
            throw new InvalidOperationException("The timer queue is empty.");
        }

        var first = _heap[0];
        if (_heads is not null)
        {
            RemoveFromIndex(first);
        }

        RemoveAt(0);

        return first;
    }

    /// <summary>Indexes the queued timers by customer, from now until <see cref="DropCustomerIndex"/>: a pass over the
    /// heap. Does nothing when already indexed.</summary>
    public void IndexByCustomer()
    {
        if (_heads is not null)
        {
            return;
        }

        _heads = [];
        _nodes = new Node[Math.Max(16, _size)];
        _freeNode = -1;
        _usedNodes = 0;
        foreach (var entry in _heap.AsSpan(0, _size))
        {
            AddToIndex(entry);
        }
    }

    /// <summary>Stops indexing by customer and frees the index. Timers taken out of order that are still in the heap
    /// (due after the times the queue was since dequeued to) are removed from it now.</summary>
    public void DropCustomerIndex()
    {
        if (_heads is null)
        {
            return;
        }

        if (_taken > 0)
        {
            RemoveTaken();
        }

        _heads = null;
        _nodes = [];
        _freeNode = -1;
        _usedNodes = 0;
    }

    /// <summary>Takes out of order the first of <paramref name="customer"/>'s timers due at or before
    /// <paramref name="nowTicks"/> (by due time, then queued order), if any. Needs the index
    /// (<see cref="IndexByCustomer"/>); costs a walk over the customer's own timers.</summary>
    public bool TryTakeDueOf(CustomerState customer, long nowTicks, out TimerEntry entry)
    {
        var heads = _heads ?? throw new InvalidOperationException("The timers are not indexed by customer.");
        var first = -1;
        if (heads.TryGetValue(customer, out var node))
        {
            for (; node >= 0; node = _nodes[node].Next)
            {
                ref readonly var n = ref _nodes[node];
                if (!n.Taken && n.Entry.DueTicks <= nowTicks && (first < 0 || n.Entry.Precedes(_nodes[first].Entry)))
                {
                    first = node;
                }
            }
        }

        if (first < 0)
        {
            entry = default;
            return false;
        }

        _nodes[first].Taken = true;
        _taken++;
        entry = _nodes[first].Entry;
        return true;
    }

    /// <summary>Removes every queued timer <paramref name="match"/> picks, and returns how many: one pass over the heap and
    /// a sort (a sorted array is a heap), for an operator's erase or merge and for idle eviction, never per event. The
    /// order among the timers kept does not change.</summary>
    public int RemoveWhere(Func<TimerEntry, bool> match)
    {
        if (_taken > 0)
        {
            RemoveTaken(); // only while indexed: the index knows which are taken
        }

        var kept = 0;
        for (var i = 0; i < _size; i++)
        {
            if (!match(_heap[i]))
            {
                _heap[kept++] = _heap[i];
            }
        }

        var removed = _size - kept;
        if (removed == 0)
        {
            return 0;
        }

        _heap.AsSpan(kept, removed).Clear(); // let the customers be collected
        _size = kept;
        _heap.AsSpan(0, _size).Sort(FiringOrder);
        if (_heads is not null)
        {
            _heads = null;
            IndexByCustomer();
        }

        return removed;
    }

    /// <summary>Removes the taken timers that reached the top of the heap, so that the top is one still queued.</summary>
    private void DropTakenAtTop()
    {
        while (_taken > 0 && _size > 0 && IsTaken(_heap[0]))
        {
            RemoveFromIndex(_heap[0]);
            RemoveAt(0);
            _taken--;
        }
    }

    private void AddToIndex(in TimerEntry entry)
    {
        int node;
        if (_freeNode >= 0)
        {
            node = _freeNode;
            _freeNode = _nodes[node].Next;
        }
        else
        {
            if (_usedNodes == _nodes.Length)
            {
                Array.Resize(ref _nodes, Math.Max(16, _nodes.Length * 2));
            }

            node = _usedNodes++;
        }

        ref var head = ref CollectionsMarshal.GetValueRefOrAddDefault(_heads!, entry.Customer, out var exists);
        _nodes[node] = new Node { Entry = entry, Next = exists ? head : -1 };
        head = node;
    }

    /// <summary>The index's node of a queued entry (known by its customer and sequence number), or -1.</summary>
    private int NodeOf(in TimerEntry entry, out int previous)
    {
        previous = -1;
        if (!_heads!.TryGetValue(entry.Customer, out var node))
        {
            return -1;
        }

        for (; node >= 0 && _nodes[node].Entry.Sequence != entry.Sequence; node = _nodes[node].Next)
        {
            previous = node;
        }

        return node;
    }

    private bool IsTaken(in TimerEntry entry) => NodeOf(entry, out _) is var node && node >= 0 && _nodes[node].Taken;

    private void RemoveFromIndex(in TimerEntry entry)
    {
        var node = NodeOf(entry, out var previous);
        if (node < 0)
        {
            return;
        }

        var next = _nodes[node].Next;
        if (previous >= 0)
        {
            _nodes[previous].Next = next;
        }
        else if (next >= 0)
        {
            _heads![entry.Customer] = next;
        }
        else
        {
            _heads!.Remove(entry.Customer);
        }

        _nodes[node] = new Node { Next = _freeNode }; // let the customer be collected
        _freeNode = node;
    }

    /// <summary>Removes the taken timers from the heap and rebuilds heap and index (rare: only when the index is dropped,
    /// or the sequence numbers run out, while timers taken out of order are still in the heap).</summary>
    private void RemoveTaken()
    {
        var taken = new HashSet<(CustomerState, uint)>();
        foreach (ref readonly var node in _nodes.AsSpan(0, _usedNodes))
        {
            if (node.Taken)
            {
                taken.Add((node.Entry.Customer, node.Entry.Sequence));
            }
        }

        var kept = 0;
        for (var i = 0; i < _size; i++)
        {
            if (!taken.Contains((_heap[i].Customer, _heap[i].Sequence)))
            {
                _heap[kept++] = _heap[i];
            }
        }

        _heap.AsSpan(kept, _size - kept).Clear();
        _size = kept;
        _taken = 0;
        _heap.AsSpan(0, _size).Sort(FiringOrder); // a sorted array is a heap
        _heads = null;
        IndexByCustomer();
    }

    private void RemoveAt(int index)
    {
        var last = _heap[--_size];
        _heap[_size] = default; // let the customer be collected
        if (index == _size)
        {
            return;
        }

        if (index > 0 && last.Precedes(_heap[(index - 1) / Arity]))
        {
            SiftUp(index, last);
        }
        else
        {
            SiftDown(index, last);
        }
    }

    private void SiftUp(int index, in TimerEntry entry)
    {
        var heap = _heap;
        while (index > 0)
        {
            var parent = (index - 1) / Arity;
            if (!entry.Precedes(heap[parent]))
            {
                break;
            }

            heap[index] = heap[parent];
            index = parent;
        }

        heap[index] = entry;
    }

    private void SiftDown(int index, in TimerEntry entry)
    {
        var heap = _heap;
        var count = _size;
        while (true)
        {
            var first = (index * Arity) + 1;
            if (first >= count)
            {
                break;
            }

            var best = first;
            var end = Math.Min(first + Arity, count);
            for (var child = first + 1; child < end; child++)
            {
                if (heap[child].Precedes(heap[best]))
                {
                    best = child;
                }
            }

            if (!heap[best].Precedes(entry))
            {
                break;
            }

            heap[index] = heap[best];
            index = best;
        }

        heap[index] = entry;
    }

    /// <summary>Before the sequence numbers run out: sorts the timers into firing order (a sorted array is a heap) and
    /// numbers them again from 0, so the order among timers due at the same time is kept.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Renumber()
    {
        if (_taken > 0)
        {
            RemoveTaken(); // the index knows taken entries by their sequence numbers, about to change
        }

        var timers = _heap.AsSpan(0, _size);
        timers.Sort(FiringOrder);
        for (var i = 0; i < timers.Length; i++)
        {
            timers[i] = timers[i].WithSequence((uint)i);
        }

        _nextSequence = (uint)timers.Length;
        if (_heads is not null)
        {
            _heads = null;
            IndexByCustomer(); // again, with the new numbers
        }
    }

    private static int FiringOrder(TimerEntry a, TimerEntry b) => a.Precedes(b) ? -1 : b.Precedes(a) ? 1 : 0;
}
