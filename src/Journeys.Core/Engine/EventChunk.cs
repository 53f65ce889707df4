using System.Collections.Concurrent;
using Journeys.State;

namespace Journeys.Engine;

/// <summary>Up to <see cref="Partition.MaxEventBatch"/> events published together for one partition, in order: one entry
/// in the partition's queue. Rented from an <see cref="EventChunkPool"/> by the publisher and returned by the partition
/// worker once applied, so publishing in batches allocates nothing in the steady state.</summary>
internal sealed class EventChunk
{
    public readonly CustomerEvent[] Events = new CustomerEvent[Partition.MaxEventBatch];

    public int Count;
}

/// <summary>Free <see cref="EventChunk"/>s shared by an engine's publishers and partition workers, at most
/// <c>capacity</c> of them kept (beyond that a returned chunk is left to the garbage collector). Thread-safe.</summary>
internal sealed class EventChunkPool(int capacity)
{
    private readonly ConcurrentQueue<EventChunk> _free = new();
    private int _count;

    public EventChunk Rent()
    {
        if (_free.TryDequeue(out var chunk))
        {
            Interlocked.Decrement(ref _count);
            return chunk;
        }

        return new EventChunk();
    }

    /// <summary>Takes back a chunk its worker has applied; it keeps no events alive.</summary>
    public void Return(EventChunk chunk)
    {
        chunk.Events.AsSpan(0, chunk.Count).Clear();
        chunk.Count = 0;
        if (Interlocked.Increment(ref _count) <= capacity)
        {
            _free.Enqueue(chunk);
        }
        else
        {
            Interlocked.Decrement(ref _count);
        }
    }
}
