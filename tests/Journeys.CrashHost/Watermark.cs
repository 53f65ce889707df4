using System.Text.Json;
using Journeys.Persistence;

namespace Journeys.CrashHost;

/// <summary>Up to when a customer's events are in the store: the newest <c>lastSeen</c> of the activity the engine keeps
/// (crash-watermark.yaml makes it keep every event type's), read from the record's JSON payload (format versions 1 and 2,
/// docs/operations.md: version 2 only adds members this does not read), since the store itself never reads a payload.</summary>
internal static class Watermark
{
    public static DateTimeOffset LastSeen(CustomerRecord record)
    {
        if (record.Version is not (1 or 2))
        {
            throw new InvalidOperationException($"customer '{record.Id}' has a record of format version {record.Version}; this host reads versions 1 and 2");
        }

        using var document = JsonDocument.Parse(record.Data);
        var last = DateTimeOffset.MinValue;
        if (document.RootElement.TryGetProperty("activity", out var activity))
        {
            foreach (var a in activity.EnumerateArray())
            {
                if (a.TryGetProperty("lastSeen", out var seen) && seen.GetDateTimeOffset() is var t && t > last)
                {
                    last = t;
                }
            }
        }

        return last;
    }
}
