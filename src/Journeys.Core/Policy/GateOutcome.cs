namespace Journeys.Policy;

/// <summary>The kinds of <see cref="GateVerdict"/>.</summary>
internal enum GateOutcome : byte
{
    Allow,
    Defer,
    Suppress,
}
