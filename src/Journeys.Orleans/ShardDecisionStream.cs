using Journeys.Decisions;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace Journeys.Orleans;

/// <summary>Publishes a shard's committed decision batches to its Orleans stream, one batch after the other in the order
/// the engine committed them: <see cref="Write"/> (called from the engine's thread, after the save) chains the batch
/// behind the one before and returns at once, so a slow stream never holds the engine. A batch the stream refuses is
/// logged and dropped (at most once, as the engine's observers); the next one is still published.</summary>
internal sealed class ShardDecisionStream(IAsyncStream<DecisionRecord> stream, int shard, ILogger log)
{
    private readonly Lock _gate = new();
    private Task _tail = Task.CompletedTask;

    public void Write(IReadOnlyList<JourneyDecision> batch)
    {
        var records = new DecisionRecord[batch.Count];
        for (var i = 0; i < records.Length; i++)
        {
            records[i] = DecisionRecord.FromDecision(shard, batch[i]);
        }

        lock (_gate)
        {
            _tail = PublishAfterAsync(_tail, records);
        }
    }

    /// <summary>Completes when every batch written so far was published (or refused and logged).</summary>
    public Task FlushAsync()
    {
        lock (_gate)
        {
            return _tail;
        }
    }

    private async Task PublishAfterAsync(Task before, DecisionRecord[] records)
    {
        await before.ConfigureAwait(false); // never faults: each step catches its own failure
        await Task.Yield(); // off the engine's thread
        try
        {
            await stream.OnNextBatchAsync(records).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            log.LogError(e, "Shard {Shard} could not publish {Count} decisions to its stream {Stream}; they are dropped", shard, records.Length, stream.StreamId);
        }
    }
}
