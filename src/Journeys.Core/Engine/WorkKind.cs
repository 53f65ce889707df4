namespace Journeys.Engine;

/// <summary>The kinds of <see cref="WorkItem"/>.</summary>
internal enum WorkKind : byte
{
    Event,
    Events, // a chunk of events published together, for one partition, in order (an EventChunk)
    Identify,
    Tick,
    Barrier,
    Ended, // deliveries ended or attempts failed: with a store, a wake-up so that an idle partition saves that to the store's outbox
    Control, // an operator's control (a PartitionControl), run by the partition that owns the customer
    Pause, // a reload: save, park until the new processor (or none) is handed over, go on with it
}
