namespace Journeys.Runtime;

/// <summary>The kinds of <see cref="WorkItem"/>.</summary>
internal enum WorkKind : byte
{
    Event,
    Events, // a chunk of events published together, for one partition, in order (an EventChunk)
    Identify,
    Tick,
    Barrier,
}
