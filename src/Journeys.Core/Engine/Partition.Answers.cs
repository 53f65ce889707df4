using System.Collections.Concurrent;
using Journeys.Delivery;

namespace Journeys.Engine;

// Answers from the delivery lanes — a call's end, a send that gave up — taken into the partition's worker, which applies
// them to the runs waiting for them. Applied before each save takes the deliveries that ended: an answer is queued before
// its delivery is marked ended, so the save that removes a call's outbox row also holds what its answer moved (a crash
// between the two never loses the answer).
internal sealed partial class Partition
{
    private readonly ConcurrentQueue<(OutboundMessage Message, DeliveryResult Result)> _answers = new();

    /// <summary>Called from a delivery lane: <paramref name="message"/>'s delivery ended with <paramref name="result"/>
    /// and a run may wait for it (a call, or a send whose step has <c>on: $failed</c>). Wakes the worker.</summary>
    public void OnAnswered(OutboundMessage message, DeliveryResult result)
    {
        _answers.Enqueue((message, result));
        WakeToSave();
    }

    /// <summary>On the worker: applies the answers queued so far. Each arrives at the time it is applied, never earlier
    /// than the call or send it answers (a call asked again after a restart whose clock stands behind the call's instant
    /// is answered at that instant); a call's answer is then applied as of the call's instant, or of the customer's latest
    /// decision since (see <see cref="PartitionProcessor.Answer"/>).</summary>
    private async ValueTask ApplyAnswersAsync()
    {
        while (_answers.TryDequeue(out var answer))
        {
            if (Processor.HasEvicted)
            {
                await LoadEvictedAsync(answer.Message.CustomerId).ConfigureAwait(false);
            }

            Processor.Answer(answer.Message, answer.Result, Math.Max(_time.GetUtcNow().UtcTicks, answer.Message.Timestamp.UtcTicks));
        }
    }
}
