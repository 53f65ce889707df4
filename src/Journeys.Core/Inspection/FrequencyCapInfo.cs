using Journeys.Diagnostics;
using Journeys.Language.Definitions;

namespace Journeys.Inspection;

/// <summary>A frequency cap (<c>{ tier: normal, max: 1, per: 7d }</c>): at most <see cref="Max"/> messages per rolling
/// <see cref="Per"/> for the sends it applies to; one with no tier, channel or journey applies to every marketing send.</summary>
public sealed class FrequencyCapInfo
{
    internal FrequencyCapInfo(FrequencyCap cap)
    {
        Tier = cap.Tier;
        Channel = cap.Channel;
        Journey = cap.Journey;
        Max = cap.Max;
        Per = cap.Per;
        Name = cap.Name;
        Location = cap.Location;
    }

    /// <summary>Applies only to customers of this tier, when set.</summary>
    public string? Tier { get; }

    /// <summary>Applies only to sends on this channel, when set.</summary>
    public string? Channel { get; }

    /// <summary>Applies only to sends of this journey, when set.</summary>
    public string? Journey { get; }

    /// <summary>The most messages allowed in a window.</summary>
    public int Max { get; }

    /// <summary>The rolling window's length.</summary>
    public TimeSpan Per { get; }

    /// <summary>The name suppression reasons use (<c>cap:normal</c>): the tier, channel and journey it applies to, joined
    /// by <c>/</c>, or <c>all</c>.</summary>
    public string Name { get; }

    /// <summary>Where the cap was written.</summary>
    public SourceLocation Location { get; }
}
