using Journeys.Persistence;

namespace Journeys.Engine;

/// <summary>A merge of two customer ids on the partitions that own them: the merged id's partition hands its state over
/// (<see cref="TakeForMerge"/>), the kept id's partition folds it in (<see cref="FoldIn"/>).</summary>
internal sealed partial class PartitionProcessor
{
    /// <summary>Detaches the customer <paramref name="mergedId"/> and returns their state (null when the partition does not
    /// hold them). Their timers go with them; the kept customer's partition re-arms what moves over.</summary>
    public CustomerSnapshot? TakeForMerge(string mergedId, long nowTicks)
    {
        AdvanceTo(nowTicks);
        if (!_customers.TryGetValue(mergedId, out var customer))
        {
            return null;
        }

        var snapshot = SnapshotMapper.ToSnapshot(customer, _model);
        Detach(customer);
        return snapshot;
    }

    /// <summary>Folds <paramref name="merged"/> (null: no state) into the customer <paramref name="keepId"/> (made when
    /// unknown) by the rules of <see cref="CustomerMerge"/>, and re-arms the folded customer's timers as at a restart.
    /// Returns the kept customer's record after the merge, for the store.</summary>
    public (CustomerRecord Record, CustomerMerge.Outcome Outcome) FoldIn(string keepId, string mergedId, CustomerSnapshot? merged, long nowTicks)
    {
        AdvanceTo(nowTicks);
        nowTicks = _clock.Ticks;
        var restore = RestoreSnapshot ?? throw new InvalidOperationException("The engine has not started.");
        _customers.TryGetValue(keepId, out var keep);
        var outcome = CustomerMerge.Fold(keep is null ? null : SnapshotMapper.ToSnapshot(keep, _model), keepId,
            merged ?? new CustomerSnapshot { Id = mergedId, FirstSeen = new DateTimeOffset(nowTicks, TimeSpan.Zero) });
        if (keep is not null)
        {
            Detach(keep);
        }

        var folded = restore(outcome.Folded);
        Adopt(folded);
        MarkDirty(folded);
        return (RecordCodec.Encode(SnapshotMapper.ToSnapshot(folded, _model)), outcome);
    }
}
