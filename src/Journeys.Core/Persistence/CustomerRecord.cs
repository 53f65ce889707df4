namespace Journeys.Persistence;

/// <summary>One customer as a store keeps it: the customer's id, the format version of the payload, and the payload, which
/// only the engine reads. A store keeps the three as they are and hands them back byte for byte; it never looks inside
/// <see cref="Data"/>, so the engine can change what it keeps of a customer (instances, entry history, activity, caps,
/// waiting sends) without any store changing.
/// <para>Why this shape: the id is the store's key (a primary key, a Redis key, a grain id); the version is outside the
/// payload so a newer engine can read older records, and an older engine refuses newer ones by name, before decoding; the
/// payload is bytes because every store can keep bytes (a BLOB, a bytea, a Redis string). Format version 1 is a UTF-8
/// JSON document described in docs/operations.md.</para>
/// <para>Equality: a record compares <see cref="Data"/> as <see cref="ReadOnlyMemory{T}"/> does, by the memory it points
/// to, not by content; compare <c>Data.Span.SequenceEqual(...)</c> for the bytes.</para></summary>
/// <param name="Id">The customer's id.</param>
/// <param name="Version">The payload's format version (1 or more), set by the engine.</param>
/// <param name="Data">The payload. The store may keep this memory: the engine never writes to it after handing it over.</param>
public sealed record CustomerRecord(string Id, int Version, ReadOnlyMemory<byte> Data);
