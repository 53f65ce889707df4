using System.Text;
using Journeys.Persistence;
using Journeys.Sqlite;
using Journeys.Tests.Support;

namespace Journeys.Tests.Persistence;

/// <summary>Customer record format version 2 (docs/operations.md): list traits and the <c>sums</c> member, written by
/// both stores; a version 1 record still loads.</summary>
public sealed class SnapshotFormatTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static CustomerSnapshot WithList() => new()
    {
        Id = "c1",
        Traits = new Dictionary<string, object?> { ["tags"] = new List<object?> { "vip", 2.0, true, null, T0, new List<object?> { "x" } } },
    };

    [Fact]
    public void ListTrait_Written_AsAJsonArrayOfValuesInFormatVersion2()
    {
        var record = RecordCodec.Encode(WithList());

        Assert.Equal(2, record.Version);
        Assert.Equal("""{"timeZone":"UTC","traits":{"tags":["vip",2,true,null,{"time":"2026-01-05T10:00:00+00:00"},["x"]]},"instances":[],"journeys":[],"sends":[],"deferred":[],"activity":[]}""",
            Encoding.UTF8.GetString(record.Data.Span));
    }

    [Fact]
    public void ListTrait_SavedInTheInMemoryStore_LoadsAsTheSameList()
    {
        var store = new InMemoryJourneyStore();
        store.SaveChanges([WithList()]);

        Assert.Equal(WithList().Traits["tags"], Assert.Single(store.LoadAll()).Traits["tags"]);
    }

    [Fact]
    public void ListTrait_SavedInSqliteAndReopened_LoadsAsTheSameList()
    {
        var path = _folder.File("journeys.db");
        using (var store = new SqliteJourneyStore(path))
        {
            store.SaveChanges([WithList()]);
        }

        using var reopened = new SqliteJourneyStore(path);
        Assert.Equal(WithList().Traits["tags"], Assert.Single(reopened.LoadAll()).Traits["tags"]);
    }

    [Fact]
    public void Version1Record_WrittenBeforeLists_StillLoads()
    {
        const string v1 = """{"timeZone":"Asia/Shanghai","traits":{"tags":"[\u0022vip\u0022]","orders":3},"instances":[],"journeys":[],"sends":[],"deferred":[],"activity":[{"event":"login","times":["2026-01-02T10:00:00+00:00"],"lastSeen":"2026-01-02T10:00:00+00:00"}]}""";

        var snapshot = RecordCodec.Decode(new CustomerRecord("c1", 1, Encoding.UTF8.GetBytes(v1)));

        Assert.Equal("""["vip"]""", snapshot.Traits["tags"]); // an array that version 1 kept as its text stays text
        Assert.Equal(3.0, snapshot.Traits["orders"]);
        Assert.Equal("login", Assert.Single(snapshot.Activity).EventType);
    }
}
