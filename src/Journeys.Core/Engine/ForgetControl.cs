namespace Journeys.Engine;

/// <summary><see cref="JourneyEngine.ForgetAsync"/> on the partition that owns the customer: the processor forgets the
/// customer, then the partition takes back their undelivered messages and erases them from the store.</summary>
internal sealed class ForgetControl(string customerId) : IPartitionControl
{
    private readonly TaskCompletionSource<ForgetResult> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IReadOnlyList<string>? _runs;

    public Task<ForgetResult> Task => _done.Task;

    public string? CustomerId => customerId;

    public void Run(PartitionProcessor processor, long nowTicks)
    {
        try
        {
            _runs = processor.Forget(customerId, nowTicks);
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
            var (cancelled, rows) = partition.TakeBackUndelivered(customerId);
            await partition.ForgetInStoreAsync(customerId, rows).ConfigureAwait(false);
            _done.TrySetResult(new ForgetResult(customerId, _runs is not null, _runs ?? [], cancelled));
        }
        catch (Exception ex)
        {
            _done.TrySetException(ex);
            throw;
        }
    }
}
