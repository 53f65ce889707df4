namespace Journeys.Runtime;

/// <summary>The kinds of <see cref="WorkItem"/>.</summary>
internal enum WorkKind : byte
{
    Event,
    Events, // a chunk of events published together, for one partition, in order (an EventChunk)
    Identify,
    Tick,
    Barrier,
    Ended, // deliveries ended: with a store, a wake-up so that an idle partition removes them from the store's outbox
}
