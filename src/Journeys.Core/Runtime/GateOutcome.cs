namespace Journeys.Runtime;

/// <summary>The kinds of <see cref="GateVerdict"/>.</summary>
internal enum GateOutcome : byte
{
    Allow,
    Defer,
    Suppress,
}
