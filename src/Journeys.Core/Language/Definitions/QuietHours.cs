using Journeys.Diagnostics;

namespace Journeys.Language.Definitions;

/// <summary>Quiet hours in the customer's local time: sends wait until <see cref="To"/>. May span midnight.</summary>
/// <param name="From">The local time quiet hours start.</param>
/// <param name="To">The local time they end.</param>
internal sealed record QuietHours(TimeOnly From, TimeOnly To)
{
    /// <summary>Where they were defined.</summary>
    public SourceLocation Location { get; init; }

    /// <summary>True when the local time of day falls inside the quiet period.</summary>
    public bool Contains(TimeOnly local) =>
        From <= To ? local >= From && local < To : local >= From || local < To;
}
