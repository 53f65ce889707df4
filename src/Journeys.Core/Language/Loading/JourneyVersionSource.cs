namespace Journeys.Language.Loading;

/// <summary>One version of a journey as an engine ran it: its id, its <c>version</c> and the YAML text of its file. A store
/// keeps these so that customers inside an older version can finish on it (<c>versioning: finish</c>) after the folder
/// only holds the newer one.</summary>
/// <param name="JourneyId">The journey's id.</param>
/// <param name="Version">The journey's <c>version</c>.</param>
/// <param name="Source">The journey file's YAML text, exactly as it was loaded.</param>
public sealed record JourneyVersionSource(string JourneyId, int Version, string Source);
