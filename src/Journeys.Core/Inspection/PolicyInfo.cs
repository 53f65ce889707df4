using Journeys.Diagnostics;
using Journeys.Language.Definitions;

namespace Journeys.Inspection;

/// <summary>The pace policy of a folder (<c>policy.yaml</c>) as written: tiers, frequency caps, quiet hours and what
/// happens to a capped send. A folder without one has an empty policy (no tiers, caps or quiet hours). Immutable.</summary>
public sealed class PolicyInfo
{
    internal PolicyInfo(PolicyDefinition policy)
    {
        Tiers = policy.Tiers.Select(t => new TierInfo(t)).ToList();
        Caps = policy.Caps.Select(c => new FrequencyCapInfo(c)).ToList();
        QuietHours = policy.QuietHours is { } quiet ? new QuietHoursInfo(quiet) : null;
        WhenCapped = policy.WhenCapped;
        DeferFor = policy.DeferFor;
        Location = policy.Location;
    }

    /// <summary>The tiers in order; the first whose condition holds is the customer's tier, else <see cref="TierInfo.Default"/>.</summary>
    public IReadOnlyList<TierInfo> Tiers { get; }

    /// <summary>The frequency caps in the order written; every cap that applies must allow a send.</summary>
    public IReadOnlyList<FrequencyCapInfo> Caps { get; }

    /// <summary>Quiet hours in the customer's time zone, or null.</summary>
    public QuietHoursInfo? QuietHours { get; }

    /// <summary>What happens to a send a cap refuses (<c>whenCapped</c>).</summary>
    public CappedAction WhenCapped { get; }

    /// <summary>With <see cref="CappedAction.Defer"/>: how long a send may wait for a slot (<c>deferFor</c>, default 7 days).</summary>
    public TimeSpan DeferFor { get; }

    /// <summary>Where the policy was written; the default location for a folder without one.</summary>
    public SourceLocation Location { get; }
}
