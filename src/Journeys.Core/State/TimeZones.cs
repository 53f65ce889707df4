using System.Collections.Concurrent;

namespace Journeys.State;

/// <summary>IANA time zones by id, looked up once each.</summary>
internal static class TimeZones
{
    private static readonly ConcurrentDictionary<string, TimeZoneInfo?> Cache = new(StringComparer.Ordinal);

    public static bool TryFind(string id, out TimeZoneInfo zone)
    {
        var found = Cache.GetOrAdd(id, static id =>
        {
            try
            {
                return TimeZoneInfo.FindSystemTimeZoneById(id);
            }
            catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                return null;
            }
        });
        zone = found ?? TimeZoneInfo.Utc;
        return found is not null;
    }

    /// <summary>The zone, or UTC when the id is unknown (the public API refuses unknown ids before they get here).</summary>
    public static TimeZoneInfo Find(string id) => TryFind(id, out var zone) ? zone : TimeZoneInfo.Utc;
}
