using Journeys.Decisions;

namespace Journeys.Orleans;

/// <summary>Where a silo's shards hand their decisions: register one in the silo's services (none: decisions are
/// dropped). Called with each shard's committed decisions as one list per batch, after the batch was saved, from that
/// shard's engine thread — calls for one shard never overlap, calls for different shards do. At most once across a
/// crash, as the engine's <see cref="Journeys.Engine.JourneyEngine.SubscribeBatches"/>. Forward them to an Orleans
/// stream, a log or a queue (for an Orleans stream, <see cref="JourneysSiloOptions.DecisionStreamProvider"/> does it); a
/// sink that throws is logged and counted by the engine, and keeps being called.</summary>
public interface IJourneyDecisionSink
{
    /// <summary>Takes one batch of a shard's decisions, in the order they were made.</summary>
    /// <param name="shard">The shard that made them.</param>
    /// <param name="decisions">The decisions; the sink's to keep.</param>
    void Write(int shard, IReadOnlyList<JourneyDecision> decisions);
}
