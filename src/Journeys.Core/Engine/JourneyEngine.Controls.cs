namespace Journeys.Engine;

/// <summary>Operators' controls: each is queued to the partition that owns the customer and run there in order with the
/// customer's events (no lock on the per-event path); what it changes is saved with the partition's next save and its
/// decisions are published like any others.</summary>
public sealed partial class JourneyEngine
{
    /// <summary>Takes a customer out of a journey: their run (of any version) ends with an <c>exited</c> decision whose
    /// reason is <c>removed</c> (<see cref="Decisions.ReasonKind.Removed"/>), and the sends it held are dropped. The
    /// customer may enter again as the journey's <c>reentry</c> rule allows after any exit. With a store, the change is
    /// saved by the partition's next save (<see cref="DrainAsync"/> waits for it).</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="journeyId">The journey's id.</param>
    /// <param name="cancellationToken">Cancels waiting for room in the partition's queue.</param>
    /// <returns>True when the customer had a run of the journey and it ended; false when they had none.</returns>
    /// <exception cref="ArgumentException">No journey has that id.</exception>
    /// <exception cref="InvalidOperationException">The engine is not running.</exception>
    public async Task<bool> RemoveFromJourneyAsync(string customerId, string journeyId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        ArgumentException.ThrowIfNullOrEmpty(journeyId);
        customerId = ResolveAlias(customerId);
        if (Catalog.Journeys.All(j => j.Id != journeyId))
        {
            throw new ArgumentException(
                $"No journey '{journeyId}'; journeys are {string.Join(", ", Catalog.Journeys.Select(j => j.Id).Distinct())}.", nameof(journeyId));
        }

        var control = new PartitionControl<bool>((processor, now) => processor.RemoveFromJourney(customerId, journeyId, now), customerId);
        await Enqueue(customerId, new WorkItem(WorkKind.Control, control, Now()), cancellationToken).ConfigureAwait(false);
        return await control.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A read-only copy of one customer's state: the runs they are in (journey, version, step, when they entered
    /// and arrived, whether they converted), what is due for them (step timers, sends held for a cap or quiet hours), the
    /// sends counted for the caps, their tier, time zone and traits. Taken by the customer's partition, in order with
    /// their events (what was published before is applied first).</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="cancellationToken">Cancels waiting for room in the partition's queue.</param>
    /// <returns>The copy, or null for a customer the engine has not heard of.</returns>
    /// <exception cref="InvalidOperationException">The engine is not running.</exception>
    public async Task<CustomerView?> InspectCustomerAsync(string customerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        customerId = ResolveAlias(customerId);
        var control = new PartitionControl<CustomerView?>((processor, _) => processor.Inspect(customerId), customerId);
        await Enqueue(customerId, new WorkItem(WorkKind.Control, control, Now()), cancellationToken).ConfigureAwait(false);
        return await control.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
