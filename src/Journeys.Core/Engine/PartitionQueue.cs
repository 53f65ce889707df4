using System.Runtime.InteropServices;
using System.Threading.Channels;
using System.Threading.Tasks.Sources;

namespace Journeys.Engine;

/// <summary>A partition's bounded queue: many publishers, one worker, no lock. A ring of <c>capacity</c> cells, each with
/// a sequence number (Vyukov's bounded queue): a publisher claims the next cell with one compare-and-swap on the tail,
/// writes its item and publishes it by the cell's sequence; the worker, the only reader, takes cells in order without
/// an atomic operation. The ring is allocated once; queueing and taking allocate nothing.
/// <para>Each publisher's items go in in the order it published them (so a customer's events, published by one thread,
/// are applied in order); the queue never holds more than its capacity.</para>
/// <para>Completing closes the tail itself: <see cref="Complete"/> sets a bit in it (<see cref="Closed"/>) with one atomic
/// operation, so a publisher's claim either comes before it (the cell is counted, and the worker takes it before it
/// ends, waiting for its publisher to write it if need be) or fails (the publisher is told the queue is completed).
/// No item is acknowledged and then left behind, and the fast path pays nothing for it.</para>
/// <para>The worker sleeps only when the ring is empty: it says so (<c>_sleeping</c>), looks once more, and waits on a
/// reusable signal that the first publisher to see it asleep sets. A publisher whose item does not fit joins a
/// first-come-first-in line of waiting publishers (asynchronously, cancellably; later publishers line up behind it, so
/// one thread's un-awaited publishes keep their order). The worker moves the line's items in, as many as fit, once it
/// has taken the queue down to <see cref="ResumeAt"/> items — three quarters of the capacity — or before it waits for
/// something else (a full delivery lane, new items: <see cref="LetWritersIn"/>). A bounded <see cref="Channel{T}"/>
/// lets one waiting publisher in per item taken: under sustained back-pressure that woke a publisher thread per event,
/// a thread-pool hand-off the worker paid for each.</para></summary>
internal sealed class PartitionQueue : IValueTaskSource<bool>
{
    private readonly Cell[] _cells;
    private readonly int _capacity;
    private readonly long _mask; // capacity - 1 when a power of two (the default), so a position's cell is a mask away; else -1

    /// <summary>The bit <see cref="Complete"/> sets in the tail: no claim succeeds after it. Positions stay far below it.</summary>
    private const long Closed = 1L << 62;
    private Positions _at;
    private int _sleeping; // 1 while the worker waits on _wake (or is about to)
    private ManualResetValueTaskSourceCore<bool> _wake = new() { RunContinuationsAsynchronously = true };
    private readonly Lock _waitersGate = new();
    private readonly Queue<Waiter> _waiters = new(); // publishers whose items did not fit, first come first in
    private int _waiting; // _waiters.Count, read without the lock
    private volatile bool _completed; // set (under _waitersGate) just before the tail is closed
    private WorkItem _held; // taken by the worker ahead of its turn (it reads one item too many when it batches events)
    private volatile bool _hasHeld;

    public PartitionQueue(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _mask = int.IsPow2(capacity) ? capacity - 1 : -1;
        _cells = new Cell[capacity];
        for (var i = 0; i < capacity; i++)
        {
            _cells[i].Sequence = i;
        }

        ResumeAt = capacity - Math.Max(1, capacity / 4);
    }

    /// <summary>Waiting publishers are let in once the worker has taken the queue down to this many items.</summary>
    public int ResumeAt { get; }

    /// <summary>The items queued (claimed by a publisher or written), the one held included. Read from any thread (a
    /// gauge).</summary>
    public int Count =>
        (int)Math.Clamp((Volatile.Read(ref _at.Tail) & ~Closed) - Volatile.Read(ref _at.Head), 0, _capacity) + (_hasHeld ? 1 : 0);

    /// <summary>True when the worker has nothing to take right now.</summary>
    public bool IsEmpty => !_hasHeld && !CanRead();

    /// <summary>How many publishers wait for room (for tests).</summary>
    internal int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Queues <paramref name="item"/> when it fits; false when the queue is full or completed. Never waits
    /// (the engine's own wake-ups: a timer tick, a delivery's end). True means the worker will take the item, even when
    /// <see cref="Complete"/> runs at the same moment.</summary>
    public bool TryWrite(WorkItem item)
    {
        if (!TryEnqueue(item))
        {
            return false;
        }

        // The worker sets _sleeping and then looks at the ring; this publisher wrote the ring and then looks at
        // _sleeping. The fence keeps the two from both missing the other.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _sleeping) != 0 && Interlocked.Exchange(ref _sleeping, 0) == 1)
        {
            _wake.SetResult(true);
        }

        return true;
    }

    /// <summary>Queues <paramref name="item"/>: completes at once when it fits and no publisher waits (no allocation),
    /// otherwise joins the waiting publishers, in order (see the class). Throws <see cref="OperationCanceledException"/>
    /// when <paramref name="cancellationToken"/> cancels the wait (the item is then not queued) and
    /// <see cref="ChannelClosedException"/> when the queue is completed.</summary>
    public ValueTask WriteAsync(WorkItem item, CancellationToken cancellationToken) =>
        Volatile.Read(ref _waiting) == 0 && TryWrite(item) ? ValueTask.CompletedTask : WaitForRoomAsync(item, cancellationToken);

    private async ValueTask WaitForRoomAsync(WorkItem item, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Waiter waiter;
        lock (_waitersGate)
        {
            if (_completed)
            {
                throw new ChannelClosedException();
            }

            // Behind the publishers already waiting (a thread's un-awaited publishes keep their order), who go first
            // when there is room now; first in line when none waits, but the item did not fit a moment ago.
            MoveWaitersIn();
            if (_waiters.Count == 0 && TryWrite(item))
            {
                return;
            }

            waiter = new Waiter(item);
            _waiters.Enqueue(waiter);
            Interlocked.Increment(ref _waiting);

            // The worker may have emptied the queue since (and read _waiting before the increment): never wait on an
            // empty queue.
            MoveWaitersIn();
        }

        // The worker frees cells and then reads _waiting: it lets this publisher in at the latest before it waits for
        // anything (a lane, new items).
        using (cancellationToken.UnsafeRegister(static (state, token) => ((PartitionQueue)((object[])state!)[0]).Cancel((Waiter)((object[])state!)[1], token), new object[] { this, waiter }))
        {
            await waiter.Done.Task.ConfigureAwait(false);
        }
    }

    private void Cancel(Waiter waiter, CancellationToken token)
    {
        lock (_waitersGate)
        {
            if (!waiter.Done.Task.IsCompleted)
            {
                waiter.Done.TrySetCanceled(token); // skipped when its turn comes
            }
        }
    }

    private bool TryEnqueue(WorkItem item)
    {
        var cells = _cells;
        var position = Volatile.Read(ref _at.Tail);
        while (true)
        {
            if ((position & Closed) != 0)
            {
                return false; // completed: a claim would never be taken
            }

            ref var cell = ref cells[IndexOf(position)];
            var gap = Volatile.Read(ref cell.Sequence) - position;
            if (gap == 0)
            {
                var seen = Interlocked.CompareExchange(ref _at.Tail, position + 1, position);
                if (seen == position)
                {
                    cell.Item = item;
                    Volatile.Write(ref cell.Sequence, position + 1); // published: the worker may take it
                    return true;
                }

                position = seen;
            }
            else if (gap < 0)
            {
                return false; // the cell a lap ahead is still the worker's to take: full
            }
            else
            {
                position = Volatile.Read(ref _at.Tail); // another publisher took it (or the queue was closed)
            }
        }
    }

    private int IndexOf(long position) => (int)(_mask >= 0 ? position & _mask : position % _capacity);

    private bool CanRead()
    {
        var head = _at.Head;
        return Volatile.Read(ref _cells[IndexOf(head)].Sequence) == head + 1;
    }

    /// <summary>The worker: completed, and every cell claimed before that taken. A cell claimed but not yet written is
    /// not taken yet: its publisher writes it and wakes the worker.</summary>
    private bool Drained()
    {
        var tail = Volatile.Read(ref _at.Tail);
        return (tail & Closed) != 0 && (tail & ~Closed) == _at.Head;
    }

    /// <summary>The worker: completes when there may be an item to take (true; <see cref="TryRead"/> says) or the queue
    /// is completed and empty (false).</summary>
    public ValueTask<bool> WaitToReadAsync()
    {
        if (_hasHeld || CanRead())
        {
            return new ValueTask<bool>(true);
        }

        if (Drained())
        {
            return new ValueTask<bool>(false);
        }

        LetWritersIn(); // nothing left: publishers waiting for room (one missed the last free cell) may come in
        _wake.Reset();
        Interlocked.Exchange(ref _sleeping, 1);

        // Drained, not merely completed: a publisher that claimed its cell before the close may not have written it
        // yet, and it wakes this worker when it has.
        if ((CanRead() || Drained()) && Interlocked.Exchange(ref _sleeping, 0) == 1)
        {
            return new ValueTask<bool>(true); // arrived meanwhile; nobody will set _wake
        }

        return new ValueTask<bool>(this, _wake.Version); // a publisher (or Complete) sets it
    }

    /// <summary>The worker: takes the next item (the held one first). Lets waiting publishers in once the queue is down
    /// to <see cref="ResumeAt"/>.</summary>
    public bool TryRead(out WorkItem item)
    {
        if (_hasHeld)
        {
            item = _held;
            _held = default;
            _hasHeld = false;
            return true;
        }

        var head = _at.Head;
        ref var cell = ref _cells[IndexOf(head)];
        if (Volatile.Read(ref cell.Sequence) != head + 1)
        {
            item = default;
            return false;
        }

        item = cell.Item;
        cell.Item = default; // the ring holds no payload alive once taken
        Volatile.Write(ref cell.Sequence, head + _capacity); // free for the publisher a lap ahead
        Volatile.Write(ref _at.Head, head + 1);
        if (Volatile.Read(ref _waiting) > 0 && (Volatile.Read(ref _at.Tail) & ~Closed) - (head + 1) <= ResumeAt)
        {
            LetWritersIn();
        }

        return true;
    }

    /// <summary>The worker: gives back the item it just took, to be taken first next time (one at most).</summary>
    public void Hold(WorkItem item)
    {
        if (_hasHeld)
        {
            throw new InvalidOperationException("A partition queue holds one item at most.");
        }

        _held = item;
        _hasHeld = true;
    }

    /// <summary>Moves the items of waiting publishers into the queue, in the order they came, while they fit, and lets
    /// those publishers go on (the worker calls this when it has taken the queue down to <see cref="ResumeAt"/>, and
    /// before it waits for a delivery lane or for new items, so that the room it has made is used meanwhile). Costs
    /// nothing when none waits.</summary>
    public void LetWritersIn()
    {
        if (Interlocked.CompareExchange(ref _waiting, 0, 0) == 0) // a fenced read
        {
            return;
        }

        lock (_waitersGate)
        {
            MoveWaitersIn();
        }
    }

    /// <summary><see cref="LetWritersIn"/> with the lock held.</summary>
    private void MoveWaitersIn()
    {
        while (_waiters.TryPeek(out var waiter))
        {
            if (!waiter.Done.Task.IsCompleted && !TryWrite(waiter.Item))
            {
                return; // full again: the rest wait for the next turn
            }

            _waiters.Dequeue();
            Interlocked.Decrement(ref _waiting);
            waiter.Done.TrySetResult(); // a cancelled one was just dropped
        }
    }

    /// <summary>No more items: the worker takes what is queued (every write acknowledged before or during this call)
    /// and ends; publishers waiting for room, and any after, get <see cref="ChannelClosedException"/>
    /// (<see cref="TryWrite"/> false).</summary>
    public void Complete()
    {
        lock (_waitersGate)
        {
            // _completed first: a publisher refused by the closed tail finds it set when it takes the lock to wait.
            _completed = true;
            var tail = Volatile.Read(ref _at.Tail);
            while ((tail & Closed) == 0)
            {
                var seen = Interlocked.CompareExchange(ref _at.Tail, tail | Closed, tail);
                if (seen == tail)
                {
                    break;
                }

                tail = seen;
            }

            while (_waiters.TryDequeue(out var waiter))
            {
                Interlocked.Decrement(ref _waiting);
                waiter.Done.TrySetException(new ChannelClosedException());
            }
        }

        if (Interlocked.Exchange(ref _sleeping, 0) == 1)
        {
            _wake.SetResult(true);
        }
    }

    bool IValueTaskSource<bool>.GetResult(short token) => _wake.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _wake.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _wake.OnCompleted(continuation, state, token, flags);

    /// <summary>A publisher waiting for room, with its item: the worker queues the item and completes <see cref="Done"/>.</summary>
    private sealed class Waiter(WorkItem item)
    {
        public WorkItem Item { get; } = item;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private struct Cell
    {
        public long Sequence;
        public WorkItem Item;
    }

    /// <summary>The tail (publishers) and the head (the worker) on cache lines of their own.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private struct Positions
    {
        [FieldOffset(64)]
        public long Tail;

        [FieldOffset(128)]
        public long Head;
    }
}
