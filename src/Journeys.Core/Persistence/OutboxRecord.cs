namespace Journeys.Persistence;

/// <summary>One message of the delivery outbox as a store keeps it: the message's idempotency key (the store's key, and
/// what a save names to remove it), the format version of the payload, and the payload, which only the engine reads — the
/// whole message a channel gets, and how many of its delivery attempts failed so far. As with
/// <see cref="CustomerRecord"/>, a store keeps the three as they are and hands them back byte for byte; format version 1 is
/// a UTF-8 JSON document described in docs/operations.md.</summary>
/// <param name="Key">The message's idempotency key (<see cref="Journeys.Delivery.OutboundMessage.IdempotencyKey"/>).</param>
/// <param name="Version">The payload's format version (1 or more), set by the engine.</param>
/// <param name="Data">The payload. The store may keep this memory: the engine never writes to it after handing it over.</param>
public sealed record OutboxRecord(string Key, int Version, ReadOnlyMemory<byte> Data);
