using System.Text.Json;
using Journeys.Persistence;

namespace Journeys.Testing;

/// <summary>What the contract's checks read of a customer the engine saved: a few fields of the payload of a
/// <see cref="CustomerRecord"/> of format version 1 or 2 (the JSON document of docs/operations.md; 2 adds members not read here). The store under test never
/// reads a payload; the checks do, to see that what the engine handed over came back.</summary>
internal sealed record SavedCustomer(string Id, IReadOnlyList<SavedInstance> Instances, IReadOnlyList<SavedJourney> Journeys)
{
    public static SavedCustomer Read(CustomerRecord record)
    {
        Assert.InRange(record.Version, 1, 2);
        using var document = JsonDocument.Parse(record.Data);
        var root = document.RootElement;
        return new SavedCustomer(record.Id,
            Array(root, "instances").Select(e => new SavedInstance(e.GetProperty("journey").GetString()!, e.GetProperty("version").GetInt32(),
                e.GetProperty("sequence").GetInt32(), e.GetProperty("step").GetString()!, e.GetProperty("arrivedAt").GetDateTimeOffset())).ToList(),
            Array(root, "journeys").Select(e => new SavedJourney(e.GetProperty("journey").GetString()!, e.GetProperty("entries").GetInt32(),
                Time(e, "nextDate"), Time(e, "inactivityDue"))).ToList());
    }

    private static IEnumerable<JsonElement> Array(JsonElement e, string name) =>
        e.TryGetProperty(name, out var array) ? array.EnumerateArray().Select(item => item.Clone()).ToList() : [];

    private static DateTimeOffset? Time(JsonElement e, string name) => e.TryGetProperty(name, out var t) ? t.GetDateTimeOffset() : null;
}

/// <summary>A journey a saved customer is inside.</summary>
internal sealed record SavedInstance(string JourneyId, int Version, int Sequence, string Step, DateTimeOffset ArrivedAt);

/// <summary>A saved customer's history of one journey, and its pending entry check.</summary>
internal sealed record SavedJourney(string JourneyId, int Entries, DateTimeOffset? NextDate, DateTimeOffset? InactivityDue);
