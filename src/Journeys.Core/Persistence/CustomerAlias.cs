namespace Journeys.Persistence;

/// <summary>An id merged into another customer (<c>JourneyEngine.MergeCustomersAsync</c>): inputs for
/// <paramref name="Alias"/> reach the customer <paramref name="CustomerId"/>.</summary>
/// <param name="Alias">The merged id.</param>
/// <param name="CustomerId">The id of the customer it was merged into (never itself an alias).</param>
public sealed record CustomerAlias(string Alias, string CustomerId);
