namespace Journeys.Engine;

/// <summary>An operator's control queued to the partition that owns the customer and run by its worker, in order with
/// the customer's events: no lock, and nothing else touches the customer meanwhile. Its result completes
/// <see cref="Task"/>; the state it changed is saved and its decisions published as any input's.</summary>
internal sealed class PartitionControl(Func<PartitionProcessor, long, bool> action)
{
    private readonly TaskCompletionSource<bool> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<bool> Task => _done.Task;

    public void Run(PartitionProcessor processor, long nowTicks)
    {
        try
        {
            _done.TrySetResult(action(processor, nowTicks));
        }
        catch (Exception ex)
        {
            _done.TrySetException(ex);
            throw; // the partition reports it (OnError) and carries on
        }
    }
}
