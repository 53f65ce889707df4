using Journeys.Persistence;
using Journeys.State;

namespace Journeys.Engine;

/// <summary>Merging two customer ids, and the aliases that route a merged id's inputs to the customer it was merged into.</summary>
public sealed partial class JourneyEngine
{
    private readonly SemaphoreSlim _merging = new(1, 1); // one merge or erase of aliases at a time
    // Merged id → kept id; replaced whole on change (rare), read without a lock per input: null while there is none.
    private volatile Dictionary<string, string>? _aliases;

    /// <summary>Merges <paramref name="mergedId"/> into <paramref name="keepId"/> (the same person known under two ids, say
    /// a device id and a login): the merged id's state is folded into the kept customer's, its record removed, and from
    /// then on every input for either id — events, profile updates, controls — reaches the kept customer; decisions and
    /// messages carry the kept id. The rules (docs/operations.md, merging two ids): the kept customer's traits win, the
    /// merged one's fill in the rest; runs of both are kept, except in a journey both are in, where the kept customer's
    /// run stays and the merged one's is dropped; entries are summed (re-entry rules count both), the sends counted for
    /// caps are summed, activity is merged. The alias is saved by the store (so it holds after a restart), with the merge,
    /// in one call.
    /// <para>Ids already merged resolve first: merging into an alias merges into its customer; merging an alias again is
    /// a no-op. Events for the merged id published while the merge runs are applied to the kept customer before the
    /// merged state is folded in.</para></summary>
    /// <param name="keepId">The id that stays.</param>
    /// <param name="mergedId">The id folded into it.</param>
    /// <param name="cancellationToken">Cancels waiting for another merge to finish; once begun a merge is not cancelled.</param>
    /// <returns>What was merged.</returns>
    /// <exception cref="ArgumentException">The two ids are the same.</exception>
    /// <exception cref="NotSupportedException">The store does not implement <see cref="ICustomerControlStore"/>; nothing
    /// was changed.</exception>
    /// <exception cref="InvalidOperationException">The engine is not running.</exception>
    public async Task<MergeResult> MergeCustomersAsync(string keepId, string mergedId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(keepId);
        ArgumentException.ThrowIfNullOrEmpty(mergedId);
        if (keepId == mergedId)
        {
            throw new ArgumentException($"Merging '{keepId}' into itself: give two different ids.", nameof(mergedId));
        }

        if (_store is not null and not ICustomerControlStore)
        {
            throw new NotSupportedException(
                $"The store {_store.GetType().Name} cannot merge customers: it does not implement {nameof(ICustomerControlStore)}. Nothing was changed.");
        }

        EnsureRunning();
        await _merging.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var keep = ResolveAlias(keepId);
            var merged = ResolveAlias(mergedId);
            if (keep == merged)
            {
                return new MergeResult(keep, mergedId, false, [], []); // one customer already
            }

            // From here on the merged id's inputs go to the kept customer's partition, queued behind the fold below.
            SetAliases(aliases =>
            {
                foreach (var (alias, target) in aliases.ToList())
                {
                    if (target == merged)
                    {
                        aliases[alias] = keep;
                    }
                }

                aliases[merged] = keep;
            });
            var take = new PartitionControl<CustomerSnapshot?>((processor, now) => processor.TakeForMerge(merged, now), merged);
            await Enqueue(merged, new WorkItem(WorkKind.Control, take, Now()), CancellationToken.None).ConfigureAwait(false);
            var state = await take.Task.ConfigureAwait(false);
            var fold = new MergeControl(keep, merged, state);
            await Enqueue(keep, new WorkItem(WorkKind.Control, fold, Now()), CancellationToken.None).ConfigureAwait(false);
            return await fold.Task.ConfigureAwait(false);
        }
        finally
        {
            _merging.Release();
        }
    }

    /// <summary>The customer an id reaches: the id itself, or the customer it was merged into.</summary>
    internal string ResolveAlias(string customerId) =>
        _aliases is { } aliases && aliases.TryGetValue(customerId, out var target) ? target : customerId;

    /// <summary>The event as the engine applies it: for a merged id, the same event for the customer it was merged into.</summary>
    private CustomerEvent Aliased(CustomerEvent e) =>
        _aliases is { } aliases && aliases.TryGetValue(e.CustomerId, out var target) ? new CustomerEvent(target, e.Type, e.Timestamp, e.Properties) : e;

    /// <summary>The profile as the engine applies it (see <see cref="Aliased(CustomerEvent)"/>).</summary>
    private CustomerProfile Aliased(CustomerProfile profile) =>
        _aliases is { } aliases && aliases.TryGetValue(profile.CustomerId, out var target) ? profile with { CustomerId = target } : profile;

    /// <summary>Changes the aliases on a copy and publishes it (readers see the old table or the new one, whole).</summary>
    private void SetAliases(Action<Dictionary<string, string>> change)
    {
        var copy = _aliases is { } current ? new Dictionary<string, string>(current, StringComparer.Ordinal) : new Dictionary<string, string>(StringComparer.Ordinal);
        change(copy);
        _aliases = copy.Count == 0 ? null : copy;
    }

    /// <summary>Reads the store's aliases when the engine starts.</summary>
    private async Task LoadAliasesAsync(CancellationToken cancellationToken)
    {
        if (_store is ICustomerControlStore store && await store.LoadAliasesAsync(cancellationToken).ConfigureAwait(false) is { Count: > 0 } saved)
        {
            SetAliases(aliases =>
            {
                foreach (var alias in saved)
                {
                    aliases[alias.Alias] = alias.CustomerId;
                }
            });
        }
    }

    /// <summary>After an erase: the aliases that named the erased customer, either side, are gone.</summary>
    private void ForgetAliases(string customerId)
    {
        if (_aliases is { } current && current.Any(a => a.Key == customerId || a.Value == customerId))
        {
            SetAliases(aliases =>
            {
                foreach (var (alias, target) in aliases.ToList())
                {
                    if (alias == customerId || target == customerId)
                    {
                        aliases.Remove(alias);
                    }
                }
            });
        }
    }
}
