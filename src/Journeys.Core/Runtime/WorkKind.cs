namespace Journeys.Runtime;

/// <summary>The kinds of <see cref="WorkItem"/>.</summary>
internal enum WorkKind : byte
{
    Event,
    Identify,
    Tick,
    Barrier,
}
