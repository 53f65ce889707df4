using Journeys.Persistence;

namespace Journeys.Engine;

/// <summary>The second half of <see cref="JourneyEngine.MergeCustomersAsync"/>, on the kept customer's partition: folds the
/// merged state in, then saves the merge with the store in one call (kept record, merged record removed, alias).</summary>
internal sealed class MergeControl(string keepId, string mergedId, CustomerSnapshot? merged) : IPartitionControl
{
    private readonly TaskCompletionSource<MergeResult> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CustomerRecord? _record;
    private CustomerMerge.Outcome? _outcome;

    public Task<MergeResult> Task => _done.Task;

    public string? CustomerId => keepId;

    public void Run(PartitionProcessor processor, long nowTicks)
    {
        try
        {
            (_record, _outcome) = processor.FoldIn(keepId, mergedId, merged, nowTicks);
        }
        catch (Exception ex)
        {
            _done.TrySetException(ex);
            throw;
        }
    }

    public async ValueTask CompleteAsync(Partition partition)
    {
        try
        {
            await partition.SaveMergeAsync(_record!, mergedId).ConfigureAwait(false);
            _done.TrySetResult(new MergeResult(keepId, mergedId, merged is not null, _outcome!.RunsMoved, _outcome.RunsDropped));
        }
        catch (Exception ex)
        {
            _done.TrySetException(ex);
            throw;
        }
    }
}
