namespace Journeys.Engine;

/// <summary>What a partition's worker runs for a <see cref="WorkKind.Control"/> item.</summary>
internal interface IPartitionControl
{
    void Run(PartitionProcessor processor, long nowTicks);

    /// <summary>The customer the control is about, loaded back first when an idle sweep evicted them (null: none).</summary>
    string? CustomerId => null;

    /// <summary>After <see cref="Run"/>, on the same worker: what the control does with the partition itself (its
    /// outbox, its store), awaited before the next item.</summary>
    ValueTask CompleteAsync(Partition partition) => ValueTask.CompletedTask;
}

/// <summary>An operator's control queued to the partition that owns the customer and run by its worker, in order with
/// the customer's events: no lock, and nothing else touches the customer meanwhile. Its result completes
/// <see cref="Task"/>; the state it changed is saved and its decisions published as any input's.</summary>
internal sealed class PartitionControl<T>(Func<PartitionProcessor, long, T> action, string? customerId = null) : IPartitionControl
{
    public string? CustomerId => customerId;

    private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<T> Task => _done.Task;

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
