namespace Journeys.State;

/// <summary>The run-time kind of a <see cref="Value"/>.</summary>
internal enum ValueKind : byte
{
    Null,
    Number,
    String,
    Bool,
    Timestamp,
    List,
}
