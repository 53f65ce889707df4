namespace Journeys.Persistence;

/// <summary>Per customer, journey with <c>case:</c> and case key: what outlives the key's runs.</summary>
/// <param name="Key">The case key, as text.</param>
/// <param name="Entries">How often the key entered.</param>
/// <param name="LastEntry">When it last entered.</param>
internal sealed record CaseKeySnapshot(string Key, int Entries, DateTimeOffset LastEntry);
