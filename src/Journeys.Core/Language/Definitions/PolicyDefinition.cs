using Journeys.Calendars;
using Journeys.Diagnostics;

namespace Journeys.Language.Definitions;

/// <summary>The pace policy of a folder (<c>policy.yaml</c>): tiers, frequency caps, quiet hours.</summary>
internal sealed record PolicyDefinition
{
    /// <summary>A policy with no tiers, no caps and no quiet hours.</summary>
    public static PolicyDefinition Empty { get; } = new();

    /// <summary>Tiers in order; the first whose condition holds is the customer's tier, else <c>default</c>.</summary>
    public IReadOnlyList<TierDefinition> Tiers { get; init; } = [];

    /// <summary>Frequency caps; every cap that applies must allow a send.</summary>
    public IReadOnlyList<FrequencyCap> Caps { get; init; } = [];

    /// <summary>Quiet hours in the customer's time zone, if any.</summary>
    public QuietHours? QuietHours { get; init; }

    /// <summary>What happens to a send a cap refuses.</summary>
    public CappedAction WhenCapped { get; init; } = CappedAction.Skip;

    /// <summary>With <see cref="CappedAction.Defer"/>: how long a send may wait for a slot (default 7 days).</summary>
    public TimeSpan DeferFor { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Working-time calendars by name (<c>policy.calendars</c>), in the order written.</summary>
    public IReadOnlyDictionary<string, WorkingCalendar> Calendars { get; init; } = new Dictionary<string, WorkingCalendar>(StringComparer.Ordinal);

    /// <summary>Where the policy was defined.</summary>
    public SourceLocation Location { get; init; }
}
