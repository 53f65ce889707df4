using System.Runtime.CompilerServices;

namespace Journeys.Runtime;

/// <summary>A partition's timers: a 4-ary min-heap of 32-byte <see cref="TimerEntry"/> values ordered by due time, and
/// among timers due at the same time by the order they were queued in (first in, first fired). The key lives in the
/// entry, so a timer takes 32 bytes, where a <see cref="PriorityQueue{TElement, TPriority}"/> with a separate
/// (due, sequence) priority takes 48. Single-threaded, like its partition.</summary>
internal sealed class TimerQueue
{
    private const int Arity = 4;

    private TimerEntry[] _heap = new TimerEntry[16];
    private uint _nextSequence;

    /// <summary>An empty queue.</summary>
    public TimerQueue()
    {
    }

    /// <summary>An empty queue whose sequence numbers start at <paramref name="firstSequence"/> (tests: to reach the
    /// point where they are renumbered).</summary>
    internal TimerQueue(uint firstSequence) => _nextSequence = firstSequence;

    /// <summary>How many timers are queued.</summary>
    public int Count { get; private set; }

    /// <summary>The queued timers, in no particular order (valid until the queue next changes).</summary>
    public ReadOnlySpan<TimerEntry> Unordered => _heap.AsSpan(0, Count);

    /// <summary>Queues a timer behind those queued before it with the same due time.</summary>
    public void Enqueue(in TimerEntry entry)
    {
        if (_nextSequence == uint.MaxValue)
        {
            Renumber();
        }

        if (Count == _heap.Length)
        {
            Array.Resize(ref _heap, _heap.Length * 2);
        }

        SiftUp(Count++, entry.WithSequence(_nextSequence++));
    }

    /// <summary>The timer that fires first, if any.</summary>
    public bool TryPeek(out TimerEntry entry)
    {
        if (Count == 0)
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
        if (Count == 0)
        {
            throw new InvalidOperationException("The timer queue is empty.");
        }

        var first = _heap[0];
        RemoveAt(0);
        return first;
    }

    /// <summary>Removes the timer at <paramref name="index"/> of <see cref="Unordered"/>.</summary>
    public void RemoveAt(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index));
        }

        var last = _heap[--Count];
        _heap[Count] = default; // let the customer be collected
        if (index == Count)
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
        var count = Count;
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
        var timers = _heap.AsSpan(0, Count);
        timers.Sort(static (a, b) => a.Precedes(b) ? -1 : b.Precedes(a) ? 1 : 0);
        for (var i = 0; i < timers.Length; i++)
        {
            timers[i] = timers[i].WithSequence((uint)i);
        }

        _nextSequence = (uint)timers.Length;
    }
}
