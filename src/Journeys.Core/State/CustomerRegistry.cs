namespace Journeys.State;

/// <summary>The values an engine's customers share by number (see <see cref="SmallIndex{T}"/>): time zones and tier names.
/// One per engine (its <c>RuntimeModel</c>), never process-wide, so two engines in one process number their values apart
/// and neither can run the other out of numbers.</summary>
internal sealed class CustomerRegistry
{
    /// <summary>Time zones (the cached instances of <see cref="TimeZones"/>, by reference); 0 is UTC.</summary>
    public SmallIndex<TimeZoneInfo> Zones { get; } = new(TimeZoneInfo.Utc, ReferenceEqualityComparer.Instance);

    /// <summary>Tier names (ordinal); 0 is <c>default</c>.</summary>
    public SmallIndex<string> Tiers { get; } = new(CustomerState.DefaultTier, StringComparer.Ordinal);
}
