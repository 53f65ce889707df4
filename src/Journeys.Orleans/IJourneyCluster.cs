using Journeys.Interchange;
using Journeys.State;

namespace Journeys.Orleans;

/// <summary>The engine's publish and identify API over a cluster of shard grains: each input goes to the shard that owns
/// its customer (<see cref="Journeys.Engine.CustomerPartitions.PartitionOf"/> over the shard count), and a batch makes
/// one grain call per shard, carrying that shard's inputs in order. A customer's inputs are applied in the order one
/// caller's awaited calls carried them. Thread-safe.</summary>
public interface IJourneyCluster
{
    /// <summary>How many shards inputs are spread over.</summary>
    int ShardCount { get; }

    /// <summary>The shard of a customer.</summary>
    /// <param name="customerId">The customer's id.</param>
    /// <returns>The shard, 0 to <see cref="ShardCount"/> - 1.</returns>
    int ShardOf(string customerId);

    /// <summary>Publishes an event; completes when its shard has queued it.</summary>
    /// <param name="customerEvent">The event.</param>
    /// <param name="cancellationToken">Stops waiting (the call may still have been made).</param>
    /// <returns>Completes when queued.</returns>
    Task PublishAsync(CustomerEvent customerEvent, CancellationToken cancellationToken = default);

    /// <summary>Publishes events in order, one grain call per shard; completes when every shard has queued its events.</summary>
    /// <param name="events">The events.</param>
    /// <param name="cancellationToken">Stops waiting (calls may still have been made).</param>
    /// <returns>Completes when queued.</returns>
    Task PublishAsync(IReadOnlyList<CustomerEvent> events, CancellationToken cancellationToken = default);

    /// <summary>Publishes events and profile updates in order (a Segment file's lines, as <see cref="SegmentReader"/>
    /// reads them), one grain call per shard; completes when every shard has queued its inputs.</summary>
    /// <param name="inputs">The inputs, in the order to apply them.</param>
    /// <param name="cancellationToken">Stops waiting (calls may still have been made).</param>
    /// <returns>Completes when queued.</returns>
    Task PublishAsync(IReadOnlyList<SegmentInput> inputs, CancellationToken cancellationToken = default);

    /// <summary>Sets a customer's traits and time zone; completes when its shard has queued it.</summary>
    /// <param name="profile">The profile update.</param>
    /// <param name="cancellationToken">Stops waiting (the call may still have been made).</param>
    /// <returns>Completes when queued.</returns>
    Task IdentifyAsync(CustomerProfile profile, CancellationToken cancellationToken = default);

    /// <summary>One customer's state as their shard's engine holds it (<see cref="Journeys.Engine.JourneyEngine.InspectCustomerAsync"/>
    /// on the shard that owns them): their runs, timers, held sends, caps used, tier, time zone and traits, taken in
    /// order with their inputs (what one caller published before is applied first).</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The copy, or null for a customer their shard has not heard of.</returns>
    Task<Journeys.Engine.CustomerView?> InspectCustomerAsync(string customerId, CancellationToken cancellationToken = default);

    /// <summary>Erases a customer (the right to erasure: <see cref="Journeys.Engine.JourneyEngine.ForgetAsync"/> on the shard
    /// that owns them), in order with their inputs (what one caller published before is applied first): from the shard
    /// engine's memory and delivery lanes, and from the shard's stored state — their record, in the changes and in the
    /// snapshot, and their outbox rows — with no byte of theirs left in it when the call completes (see docs/scale-out.md,
    /// "Operator controls"). A later input for the id starts a new customer. If the shard's storage refuses a write, the
    /// call throws: call it again (erasing an id the shard does not know still clears its stored state).</summary>
    /// <param name="customerId">The customer's id.</param>
    /// <param name="cancellationToken">Stops waiting (the shard may still erase).</param>
    /// <returns>What was erased.</returns>
    Task<Journeys.Engine.ForgetResult> ForgetAsync(string customerId, CancellationToken cancellationToken = default);

    /// <summary>Pauses a journey on every shard (<see cref="Journeys.Engine.JourneyEngine.PauseJourneyAsync"/>: no customer
    /// enters it from now on, customers inside go on); each shard saves the pause in its state before applying it, so it
    /// survives the shard's moves and restarts. The shards are called in parallel; what one caller published before is
    /// applied first on each. If a shard fails, the call throws and the others keep their pause: call it again (a shard
    /// paused already is left as it is).</summary>
    /// <param name="journeyId">The journey's id.</param>
    /// <param name="cancellationToken">Stops waiting (shards may still apply it).</param>
    /// <returns>True when some shard was running the journey and is paused now; false when every shard had it paused.</returns>
    /// <exception cref="ArgumentException">No journey has that id (from the shards).</exception>
    Task<bool> PauseJourneyAsync(string journeyId, CancellationToken cancellationToken = default);

    /// <summary>Resumes a paused journey on every shard (<see cref="Journeys.Engine.JourneyEngine.ResumeJourneyAsync"/>),
    /// as <see cref="PauseJourneyAsync"/> pauses it.</summary>
    /// <param name="journeyId">The journey's id.</param>
    /// <param name="cancellationToken">Stops waiting (shards may still apply it).</param>
    /// <returns>True when some shard had the journey paused and runs it now; false when none had.</returns>
    /// <exception cref="ArgumentException">No journey has that id, and none of that id is paused (from the shards).</exception>
    Task<bool> ResumeJourneyAsync(string journeyId, CancellationToken cancellationToken = default);

    /// <summary>Completes when every shard has applied, saved and delivered everything published before (it calls every
    /// shard, activating those that were not: a shard whose silo died is activated elsewhere, and catches up).</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Completes when drained.</returns>
    Task DrainAsync(CancellationToken cancellationToken = default);
}
