using Journeys.Persistence;

namespace Journeys.Engine;

/// <summary>Erasing a customer (the right to erasure of GDPR article 17, PIPL article 47): see docs/operations.md.</summary>
public sealed partial class JourneyEngine
{
    /// <summary>Erases a customer: from the partition's memory (state, runs, timers, held sends, caps and activity
    /// history), from the store (their record, and the outbox rows of their messages), and from the delivery lanes (their
    /// undelivered messages are not delivered: <see cref="ForgetResult.CancelledMessages"/>). Runs in order with the
    /// customer's inputs: what was published before is applied first, then erased. No decision is published for the erase
    /// (it would carry the id); the result reports it. A later input for the id starts a new customer, as if never seen.
    /// <para>Decisions already handed to observers, messages already delivered, and copies outside the engine (decision
    /// logs, backups of the store) are the host's to erase.</para></summary>
    /// <param name="customerId">The customer's id.</param>
    /// <param name="cancellationToken">Cancels waiting for room in the partition's queue, or for the result.</param>
    /// <returns>What was erased.</returns>
    /// <exception cref="NotSupportedException">The store does not implement <see cref="ICustomerControlStore"/>; nothing
    /// was changed.</exception>
    /// <exception cref="InvalidOperationException">The engine is not running.</exception>
    public async Task<ForgetResult> ForgetAsync(string customerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        if (_store is not null and not ICustomerControlStore)
        {
            throw new NotSupportedException(
                $"The store {_store.GetType().Name} cannot erase a customer: it does not implement {nameof(ICustomerControlStore)}. Nothing was changed.");
        }

        customerId = ResolveAlias(customerId); // an id merged into a customer erases that customer, and every id of theirs
        var control = new ForgetControl(customerId);
        await Enqueue(customerId, new WorkItem(WorkKind.Control, control, Now()), cancellationToken).ConfigureAwait(false);
        var result = await control.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        ForgetAliases(customerId);
        return result;
    }
}
