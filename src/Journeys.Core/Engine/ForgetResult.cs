namespace Journeys.Engine;

/// <summary>What <see cref="JourneyEngine.ForgetAsync"/> erased. Its report of the erase: no decision is published for
/// it, since a decision would carry the id being erased.</summary>
/// <param name="CustomerId">The id erased (the customer's own id when the id asked for was an alias merged into it).</param>
/// <param name="Found">True when the engine held the customer; false when it knew nothing of the id (the store was still
/// told to erase it).</param>
/// <param name="RunsEnded">The ids of the journeys the customer was in; those runs are gone, with their timers.</param>
/// <param name="CancelledMessages">The idempotency keys of the customer's messages that were not delivered and now never
/// will be: decided but not yet handed to their channel, or waiting in a delivery lane. A message whose delivery attempt was
/// already under way is not in the list: that attempt finishes.</param>
public sealed record ForgetResult(string CustomerId, bool Found, IReadOnlyList<string> RunsEnded, IReadOnlyList<string> CancelledMessages);
