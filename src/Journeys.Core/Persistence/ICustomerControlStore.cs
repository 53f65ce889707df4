namespace Journeys.Persistence;

/// <summary>What a store adds to <see cref="IJourneyStore"/> for operators' controls on one customer: reading one record
/// by id (an idle customer evicted from memory is loaded back by its next input), erasing a customer
/// (<c>JourneyEngine.ForgetAsync</c>), merging two ids and keeping their aliases (<c>JourneyEngine.MergeCustomersAsync</c>).
/// Optional: a store that does not implement it still runs an engine, and then
/// <c>ForgetAsync</c> throws <see cref="NotSupportedException"/> before changing anything, and an engine built with
/// <c>JourneyEngineOptions.IdleEviction</c> on it is refused by <c>Build()</c>. The SQLite and in-memory stores implement
/// it, and so does an Orleans cluster's shard store (whose merge throws <see cref="NotSupportedException"/>). Like
/// <see cref="IJourneyStore"/>, every member is called from partition workers, concurrently, each for customers of its own; the store stays opaque (ids, keys and bytes).</summary>
public interface ICustomerControlStore : IJourneyStore
{
    /// <summary>The record saved last for one customer, or null when none is stored (a point read: by primary key in a
    /// database).</summary>
    /// <param name="customerId">The customer's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The record, or null.</returns>
    ValueTask<CustomerRecord?> LoadCustomerAsync(string customerId, CancellationToken cancellationToken);

    /// <summary>Erases a customer, atomically: removes their record, the outbox rows with the given keys, and every alias
    /// that names the customer, either side (an unknown id or key is ignored). A durable store also makes sure the erased bytes do not linger in its files (SQLite: secure
    /// delete and a checkpoint of the write-ahead log); backups taken before are the operator's to handle.</summary>
    /// <param name="customerId">The customer's id.</param>
    /// <param name="outboxKeys">The keys of the customer's outbox rows still stored.</param>
    /// <param name="cancellationToken">Cancels the erase before it took effect.</param>
    /// <returns>Completes when the erase is kept.</returns>
    ValueTask ForgetCustomerAsync(string customerId, IReadOnlyList<string> outboxKeys, CancellationToken cancellationToken);

    /// <summary>Every alias saved by <see cref="MergeCustomersAsync"/> and not erased since; read once when the engine starts.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The aliases, in any order.</returns>
    ValueTask<IReadOnlyList<CustomerAlias>> LoadAliasesAsync(CancellationToken cancellationToken);

    /// <summary>Records a merge, atomically: <paramref name="kept"/> replaces the record of its id (the merged state),
    /// the record of <paramref name="mergedId"/> is removed, <paramref name="mergedId"/> becomes an alias of
    /// <c>kept.Id</c>, and every alias of <paramref name="mergedId"/> becomes one of <c>kept.Id</c> (an alias never names
    /// another alias).</summary>
    /// <param name="kept">The kept customer's record, after the merge.</param>
    /// <param name="mergedId">The id merged into it.</param>
    /// <param name="cancellationToken">Cancels the merge before it took effect.</param>
    /// <returns>Completes when the merge is kept.</returns>
    ValueTask MergeCustomersAsync(CustomerRecord kept, string mergedId, CancellationToken cancellationToken);
}
