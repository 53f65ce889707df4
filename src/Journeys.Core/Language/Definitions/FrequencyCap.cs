using Journeys.Diagnostics;

namespace Journeys.Language.Definitions;

/// <summary>A frequency cap: at most <see cref="Max"/> messages per rolling <see cref="Per"/>, for the sends it applies to.
/// A cap with no tier, channel or journey applies to every marketing send.</summary>
internal sealed record FrequencyCap
{
    /// <summary>Applies only to customers of this tier, when set.</summary>
    public string? Tier { get; init; }

    /// <summary>Applies only to sends on this channel, when set.</summary>
    public string? Channel { get; init; }

    /// <summary>Applies only to sends of this journey, when set.</summary>
    public string? Journey { get; init; }

    /// <summary>The most messages allowed in a window.</summary>
    public required int Max { get; init; }

    /// <summary>The rolling window's length.</summary>
    public required TimeSpan Per { get; init; }

    /// <summary>Where the cap was defined.</summary>
    public SourceLocation Location { get; init; }

    /// <summary>The name used in suppression reasons: the tier, channel or journey it applies to (<c>cap:normal</c>).</summary>
    public string Name => string.Join("/", new[] { Tier, Channel, Journey }.Where(s => s is not null)) is { Length: > 0 } n ? n : "all";
}
