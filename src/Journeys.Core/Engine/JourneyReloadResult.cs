using Journeys.Diagnostics;
using Journeys.Language.Loading;

namespace Journeys.Engine;

/// <summary>What <see cref="JourneyEngine.ReloadAsync(JourneyCatalog, CancellationToken)"/> did: applied the new
/// journeys, or refused them and changed nothing.</summary>
public sealed record JourneyReloadResult
{
    /// <summary>True when the engine now runs the new catalog; false when it refused it and runs what it ran before.</summary>
    public required bool Applied { get; init; }

    /// <summary>The new catalog's diagnostics (file:line:column), and the engine's own reasons to refuse it: the errors
    /// when refused, the warnings when applied.</summary>
    public required IReadOnlyList<Diagnostic> Diagnostics { get; init; }

    /// <summary>The catalog that was offered.</summary>
    public required JourneyCatalog Catalog { get; init; }
}
