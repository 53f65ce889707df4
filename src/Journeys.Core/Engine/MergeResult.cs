namespace Journeys.Engine;

/// <summary>What <see cref="JourneyEngine.MergeCustomersAsync"/> did.</summary>
/// <param name="KeptId">The customer kept (the id asked for, or the customer it is an alias of).</param>
/// <param name="MergedId">The id merged into it, now an alias of <paramref name="KeptId"/>.</param>
/// <param name="Found">True when the engine held state for the merged id; false when it knew nothing of it (the alias is
/// recorded all the same).</param>
/// <param name="RunsMoved">The journeys whose runs moved from the merged id to the kept customer.</param>
/// <param name="RunsDropped">The journeys both were in: the merged id's run there was dropped, the kept customer's stays.</param>
public sealed record MergeResult(string KeptId, string MergedId, bool Found, IReadOnlyList<string> RunsMoved, IReadOnlyList<string> RunsDropped);
