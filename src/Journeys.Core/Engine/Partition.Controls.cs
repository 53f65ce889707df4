using Journeys.Persistence;
using Journeys.State;

namespace Journeys.Engine;

/// <summary>Operators' controls as the partition runs them: the processor's part (<see cref="IPartitionControl.Run"/>),
/// then what touches the partition's outbox and store (<see cref="IPartitionControl.CompleteAsync"/>), both on the worker,
/// in order with the customer's inputs.</summary>
internal sealed partial class Partition
{
    /// <summary>Tells the delivery pipeline not to deliver a message it was handed (by idempotency key); set by the engine.</summary>
    public Action<string>? CancelDelivery { get; init; }

    /// <summary>The store, if any.</summary>
    internal IJourneyStore? Store => _store;

    private async ValueTask RunControlAsync(IPartitionControl control, long nowTicks)
    {
        if (control.CustomerId is { } customerId)
        {
            await LoadEvictedAsync(customerId).ConfigureAwait(false);
        }

        control.Run(Processor, nowTicks);
        await control.CompleteAsync(this).ConfigureAwait(false);
    }

    /// <summary>Before an input is applied: loads back from the store each of its customers an idle sweep evicted (one
    /// point read each; none at all for ids the partition holds, or never evicted). A read that fails throws: the input is
    /// not applied (reported as any failed input), since applying it to a new, empty customer would overwrite the stored one.</summary>
    private async ValueTask LoadEvictedAsync(CustomerEvent[] events, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await LoadEvictedAsync(events[i].CustomerId).ConfigureAwait(false);
        }
    }

    private async ValueTask LoadEvictedAsync(string customerId)
    {
        if (Processor.MayBeEvicted(customerId) && _store is ICustomerControlStore store &&
            await store.LoadCustomerAsync(customerId, CancellationToken.None).ConfigureAwait(false) is { } record)
        {
            Processor.Reload(record);
            _metrics.CustomersReloaded(1);
        }
    }

    /// <summary>Runs the idle sweep when due (after a save, so every customer it may evict is saved) and counts it.</summary>
    private void EvictIdle()
    {
        if (Processor.EvictIdle(_time.GetUtcNow().UtcTicks) is var evicted && evicted > 0)
        {
            _metrics.CustomersEvicted(evicted);
        }
    }

    /// <summary>Takes back a customer's messages that are not delivered: those decided and not yet saved (never handed
    /// over), and those saved and handed to the lanes whose delivery has not ended (the pipeline skips them; an attempt
    /// already under way finishes). Returns the keys taken back, and the keys of every outbox row of the customer the
    /// store may still hold (those taken back, and deliveries that ended but whose row is not removed yet).</summary>
    public (List<string> Cancelled, List<string> Rows) TakeBackUndelivered(string customerId)
    {
        var cancelled = new List<string>();
        var rows = new List<string>();
        _outbox.RemoveAll(m =>
        {
            if (m.CustomerId != customerId)
            {
                return false;
            }

            cancelled.Add(m.IdempotencyKey);
            return true;
        });
        _inFlight.RemoveAll(f =>
        {
            if (f.CustomerId != customerId)
            {
                return false;
            }

            rows.Add(f.Key);
            if (!f.Ended.IsCompleted)
            {
                cancelled.Add(f.Key);
                CancelDelivery?.Invoke(f.Key);
            }

            _attempts.Remove(f.Key);
            return true;
        });
        return (cancelled, rows);
    }

    /// <summary>Saves what the partition has pending, then the merge: the kept customer's record after it, the merged
    /// id's record removed and the alias, in one store call. Without a store there is nothing to save.</summary>
    public async ValueTask SaveMergeAsync(CustomerRecord kept, string mergedId)
    {
        if (_store is null)
        {
            return;
        }

        ReportFailure(await SaveAsync().ConfigureAwait(false));
        var store = _store as ICustomerControlStore ?? throw new NotSupportedException(
            $"The store {_store.GetType().Name} cannot merge customers: it does not implement {nameof(ICustomerControlStore)}.");
        await store.MergeCustomersAsync(kept, mergedId, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Saves what the partition has pending (so the store's rows are current), then erases the customer and the
    /// given outbox rows from a store that supports it; without a store there is nothing to erase.</summary>
    public async ValueTask ForgetInStoreAsync(string customerId, IReadOnlyList<string> outboxKeys)
    {
        if (_store is null)
        {
            return;
        }

        ReportFailure(await SaveAsync().ConfigureAwait(false)); // a failed save is retried later; the erase goes on
        var store = _store as ICustomerControlStore ?? throw new NotSupportedException(
            $"The store {_store.GetType().Name} cannot erase a customer: it does not implement {nameof(ICustomerControlStore)}.");
        await store.ForgetCustomerAsync(customerId, outboxKeys, CancellationToken.None).ConfigureAwait(false);
    }
}
