using System.Security.Cryptography;
using System.Text;
using Journeys.Delivery;
using Journeys.Diagnostics;
using Journeys.Persistence;
using Journeys.Sqlite;
using Journeys.Testing;
using Journeys.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Journeys.Tests.Persistence;

/// <summary>The SQLite store on real files in a temp folder: the store contract with a fresh store object per engine (as
/// after a process restart), round trips, refused files, concurrency, backups.</summary>
public sealed partial class SqliteJourneyStoreTests : StoreContractTests<SqliteJourneyStore>, IDisposable
{
    private readonly TempFolder _folder = new();

    private string DbPath => _folder.File("journeys.db");

    public void Dispose() => _folder.Dispose();

    protected override SqliteJourneyStore OpenStore() => new(DbPath); // closed by the contract's CloseStore, which disposes it

    // ---- round trips -----------------------------------------------------------------------------------------------

    /// <summary>A message as the engine builds one, with every field a channel reads set, and values of every kind.</summary>
    private static OutboundMessage Message(string key, string customer = "c1") => new()
    {
        IdempotencyKey = key,
        Channel = "email",
        Template = "nurture/guide",
        Category = MessageCategory.Transactional,
        Priority = 7,
        CustomerId = customer,
        JourneyId = "nurture",
        JourneyVersion = 2,
        Step = "guide",
        Timestamp = T0.AddTicks(1234567),
        Subject = "Hello \"Li\" 李",
        Body = "Line 1\nLine 2",
        Traits = new Dictionary<string, object?>
        {
            ["firstName"] = "Li",
            ["spend12m"] = 1234.5,
            ["vip"] = true,
            ["serviceEndsAt"] = T0.AddDays(12),
            ["cleared"] = null,
        },
        EventProperties = new Dictionary<string, object?>
        {
            ["sku"] = "A-1",
            ["amount"] = 19.99,
            ["raw"] = System.Text.Json.JsonDocument.Parse("""{"a":[1,2,{"b":null}]}""").RootElement.Clone(),
            ["items"] = new List<object?> { "x", 2.0 },
            ["address"] = new Dictionary<string, object?> { ["city"] = "Shanghai" },
        },
    };

    /// <summary>A document as text, as schema versions before 5 kept it in a TEXT column.</summary>
    private static string Text(byte[] document) => Encoding.UTF8.GetString(document);

    [Fact]
    public void SaveChanges_OutboxMessage_LoadedBackWithEveryFieldAChannelReads()
    {
        using (var store = new SqliteJourneyStore(DbPath))
        {
            store.SaveChanges([new CustomerSnapshot { Id = "c1" }], [Message("k1") with { PreviousAttempts = 3 }]);
        }

        using var reopened = new SqliteJourneyStore(DbPath);
        var loaded = Assert.Single(reopened.LoadOutbox());
        var expected = Message("k1") with { PreviousAttempts = 3 };
        Assert.Equal(expected with { Traits = loaded.Traits, EventProperties = loaded.EventProperties }, loaded);
        Assert.Empty(loaded.Fields);
        Assert.Equal(expected.Traits.OrderBy(kv => kv.Key, StringComparer.Ordinal), loaded.Traits.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        Assert.Equal("A-1", loaded.EventProperties["sku"]);
        Assert.Equal(19.99, loaded.EventProperties["amount"]);
        Assert.Equal("""{"a":[1,2,{"b":null}]}""", ((System.Text.Json.JsonElement)loaded.EventProperties["raw"]!).GetRawText());
        Assert.Equal(new List<object?> { "x", 2.0 }, loaded.EventProperties["items"]);
        Assert.Equal(new Dictionary<string, object?> { ["city"] = "Shanghai" }, loaded.EventProperties["address"]);
    }

    private static CustomerSnapshot Full(string id) => new()
    {
        Id = id,
        TimeZone = "Asia/Shanghai",
        FirstSeen = T0.AddDays(-30),
        Traits = new Dictionary<string, object?>
        {
            ["firstName"] = "Li \"quoted\" 李",
            ["spend12m"] = 1234.5678901234567,
            ["orders"] = 3.0,
            ["pushOptIn"] = false,
            ["vip"] = true,
            ["serviceEndsAt"] = T0.AddDays(12).AddTicks(1234567),
            ["score"] = double.NaN,
            ["ceiling"] = double.PositiveInfinity,
            ["cleared"] = null,
        },
        Instances =
        [
            new InstanceSnapshot("nurture", 2, 3, "consult", T0.AddDays(-9), T0.AddDays(-2).AddTicks(7)),
            new InstanceSnapshot("winback", 1, 1, "offer", T0.AddDays(-1), T0.AddDays(-1)),
        ],
        Journeys =
        [
            new JourneyMemorySnapshot("nurture", 3, T0.AddDays(-9)),
            new JourneyMemorySnapshot("birthday", 1, T0.AddYears(-1), NextDate: T0.AddMonths(2)),
            new JourneyMemorySnapshot("winback", 1, T0.AddDays(-1), InactivityDue: T0.AddDays(90), InactivityWaitsForActivity: true),
        ],
        Sends = [new SentSnapshot(T0.AddDays(-2), "push", "nurture"), new SentSnapshot(T0.AddDays(-1), "sms", "winback")],
        Deferred =
        [
            new DeferredSnapshot("nurture", 2, 3, "consult", 1, T0.AddHours(-3), T0.AddHours(9), "quiet-hours"),
            new DeferredSnapshot("winback", 1, 1, "offer", 0, T0.AddHours(-1), T0.AddDays(6), null),
        ],
        Activity =
        [
            new ActivitySnapshot("login", [T0.AddDays(-3), T0.AddDays(-1), T0.AddTicks(-1)], T0.AddTicks(-1)),
            new ActivitySnapshot("order_completed", [], T0.AddDays(-100)),
        ],
    };

    private static void AssertSameSnapshot(CustomerSnapshot expected, CustomerSnapshot actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.TimeZone, actual.TimeZone);
        Assert.Equal(expected.FirstSeen, actual.FirstSeen);
        Assert.Equal(expected.Traits.OrderBy(kv => kv.Key, StringComparer.Ordinal), actual.Traits.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        foreach (var (name, value) in expected.Traits)
        {
            Assert.Equal(value?.GetType(), actual.Traits[name]?.GetType()); // a timestamp stays a timestamp, a number a double
        }

        Assert.Equal(expected.Instances, actual.Instances);
        Assert.Equal(expected.Journeys, actual.Journeys);
        Assert.Equal(expected.Sends, actual.Sends);
        Assert.Equal(expected.Deferred, actual.Deferred);
        Assert.Equal(expected.Activity.Count, actual.Activity.Count);
        for (var i = 0; i < expected.Activity.Count; i++)
        {
            Assert.Equal(expected.Activity[i].EventType, actual.Activity[i].EventType);
            Assert.Equal(expected.Activity[i].Times, actual.Activity[i].Times);
            Assert.Equal(expected.Activity[i].LastSeen, actual.Activity[i].LastSeen);
        }
    }

    [Fact]
    public void SaveChanges_ReopenedStore_ReadsEveryFieldBack()
    {
        var saved = new[] { Full("c1"), new CustomerSnapshot { Id = "c2" } };
        using (var store = new SqliteJourneyStore(DbPath))
        {
            store.SaveChanges(saved);
        }

        using var reopened = new SqliteJourneyStore(DbPath);
        var loaded = reopened.LoadAll().ToList();
        Assert.Equal(["c1", "c2"], loaded.Select(s => s.Id));
        AssertSameSnapshot(saved[0], loaded[0]);
        AssertSameSnapshot(saved[1], loaded[1]);
        Assert.Equal(2, reopened.Count);
    }

    // ---- the bytes on disk: a change here is a change of file format (raise the schema version) -----------------------

    [Fact]
    public void SnapshotDocument_EveryKindOfField_WrittenAsTheFormatSays()
    {
        Assert.Equal(""""
            {"timeZone":"Asia/Shanghai","firstSeen":"2025-12-06T10:00:00+00:00","traits":{"ceiling":{"number":"Infinity"},"cleared":null,"firstName":"Li \u0022quoted\u0022 \u674E","orders":3,"pushOptIn":false,"score":{"number":"NaN"},"serviceEndsAt":{"time":"2026-01-17T10:00:00.1234567+00:00"},"spend12m":1234.5678901234567,"vip":true},"instances":[{"journey":"nurture","version":2,"sequence":3,"step":"consult","enteredAt":"2025-12-27T10:00:00+00:00","arrivedAt":"2026-01-03T10:00:00.0000007+00:00"},{"journey":"winback","version":1,"sequence":1,"step":"offer","enteredAt":"2026-01-04T10:00:00+00:00","arrivedAt":"2026-01-04T10:00:00+00:00"}],"journeys":[{"journey":"nurture","entries":3,"lastEntry":"2025-12-27T10:00:00+00:00"},{"journey":"birthday","entries":1,"lastEntry":"2025-01-05T10:00:00+00:00","nextDate":"2026-03-05T10:00:00+00:00"},{"journey":"winback","entries":1,"lastEntry":"2026-01-04T10:00:00+00:00","inactivityDue":"2026-04-05T10:00:00+00:00","inactivityWaitsForActivity":true}],"sends":[{"at":"2026-01-03T10:00:00+00:00","channel":"push","journey":"nurture"},{"at":"2026-01-04T10:00:00+00:00","channel":"sms","journey":"winback"}],"deferred":[{"journey":"nurture","version":2,"sequence":3,"step":"consult","sendIndex":1,"deferredAt":"2026-01-05T07:00:00+00:00","retryAt":"2026-01-05T19:00:00+00:00","reason":"quiet-hours"},{"journey":"winback","version":1,"sequence":1,"step":"offer","sendIndex":0,"deferredAt":"2026-01-05T09:00:00+00:00","retryAt":"2026-01-11T10:00:00+00:00"}],"activity":[{"event":"login","times":["2026-01-02T10:00:00+00:00","2026-01-04T10:00:00+00:00","2026-01-05T09:59:59.9999999+00:00"],"lastSeen":"2026-01-05T09:59:59.9999999+00:00"},{"event":"order_completed","times":[],"lastSeen":"2025-09-27T10:00:00+00:00"}]}
            """", Text(SnapshotJson.Write(Full("c1"))));
    }

    [Fact]
    public void OutboxDocument_EveryKindOfField_WrittenAsTheFormatSays()
    {
        Assert.Equal(""""
            {"key":"k1","channel":"email","template":"nurture/guide","category":"transactional","priority":7,"customer":"c1","journey":"nurture","version":2,"step":"guide","at":"2026-01-05T10:00:00.1234567+00:00","subject":"Hello \u0022Li\u0022 \u674E","body":"Line 1\nLine 2","traits":{"cleared":null,"firstName":"Li","serviceEndsAt":{"time":"2026-01-17T10:00:00+00:00"},"spend12m":1234.5,"vip":true},"event":{"address":{"map":{"city":"Shanghai"}},"amount":19.99,"items":{"list":["x",2]},"raw":{"json":{"a":[1,2,{"b":null}]}},"sku":"A-1"}}
            """", Text(OutboxJson.Write(Message("k1"))));
    }

    [Fact]
    public void SaveChanges_OutboxMessageWithFrontMatterFields_LoadedBackInTheirOrder()
    {
        var fields = new Dictionary<string, string> { ["templateCode"] = "SMS_1", ["param.name"] = "李", ["param.code"] = "" };
        using (var store = new SqliteJourneyStore(DbPath))
        {
            store.SaveChanges([new CustomerSnapshot { Id = "c1" }], [Message("k1") with { Fields = fields }]);
        }

        using var reopened = new SqliteJourneyStore(DbPath);
        Assert.Equal(fields.ToList(), Assert.Single(reopened.LoadOutbox()).Fields.ToList());
    }

    [Fact]
    public void OutboxDocument_WithFields_AddsThemBeforeTheAttemptsAndLeavesOtherRowsAsTheyWere()
    {
        var withFields = Message("k1") with { Fields = new Dictionary<string, string> { ["templateCode"] = "SMS_1" }, PreviousAttempts = 1 };

        Assert.EndsWith("\"sku\":\"A-1\"},\"fields\":{\"templateCode\":\"SMS_1\"},\"attempts\":1}", Text(OutboxJson.Write(withFields)), StringComparison.Ordinal);
        Assert.DoesNotContain("fields", Text(OutboxJson.Write(Message("k1"))), StringComparison.Ordinal);
    }

    [Fact]
    public void OutboxDocument_AfterFailedAttempts_EndsWithTheirCount()
    {
        Assert.EndsWith(""""
            "sku":"A-1"},"attempts":2}
            """", Text(OutboxJson.Write(Message("k1") with { PreviousAttempts = 2 })), StringComparison.Ordinal);
        Assert.Equal(Text(OutboxJson.Write(Message("k1")))[..^1] + ",\"attempts\":2}", Text(OutboxJson.Write(Message("k1") with { PreviousAttempts = 2 })));
    }

    [Fact]
    public void SaveChanges_SameCustomerAgain_KeepsOnlyTheLatest()
    {
        using var store = new SqliteJourneyStore(DbPath);
        store.SaveChanges([Full("c1")]);
        store.SaveChanges([new CustomerSnapshot { Id = "c1", TimeZone = "Europe/Berlin" }]);

        var only = Assert.Single(store.LoadAll());
        Assert.Equal("Europe/Berlin", only.TimeZone);
        Assert.Empty(only.Instances);
    }

    [Fact]
    public void NewFile_CarriesTheJourneysApplicationIdAndSchemaVersion()
    {
        new SqliteJourneyStore(DbPath).Dispose();

        using var connection = Open(DbPath);
        Assert.Equal((long)SqliteSchema.ApplicationId, Scalar(connection, "PRAGMA application_id"));
        Assert.Equal((long)SqliteSchema.CurrentVersion, Scalar(connection, "PRAGMA user_version"));
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode"));
    }

    [Fact]
    public void EmptySqliteDatabase_IsInitialisedAsAJourneysStore()
    {
        using (var connection = Open(DbPath))
        {
            Scalar(connection, "PRAGMA user_version"); // creates the (empty) database file
        }

        using var store = new SqliteJourneyStore(DbPath);
        store.SaveChanges([new CustomerSnapshot { Id = "c1" }]);
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public void Open_CurrentFileWithoutItsOutboxTable_RefusedAsDamagedAndLeftByteIdentical()
    {
        SaveThenEdit("DROP TABLE outbox");

        var refused = AssertRefusedUntouched(DbPath);
        Assert.Contains($"a damaged Journeys database: schema version {SqliteSchema.CurrentVersion}, but outbox missing", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_OutboxRecordThatIsNotValid_ThrowsNamingTheKey()
    {
        using (var store = new SqliteJourneyStore(DbPath))
        {
            store.SaveChanges([], [Message("k1")]);
        }

        using (var connection = Open(DbPath))
        {
            Execute(connection, "UPDATE outbox SET data = CAST('{\"key\": \"k1\"}' AS BLOB)");
        }

        using var reopened = new SqliteJourneyStore(DbPath);
        var error = Assert.Throws<JourneyRecordException>(() => reopened.LoadOutbox());
        Assert.Equal(("k1", 1, "'channel' is missing"), (error.Key, error.Version, error.Reason));
        Assert.Equal("The store's record of outbox message 'k1' (format version 1) cannot be read: 'channel' is missing", error.Message);
    }

    // ---- refused files ---------------------------------------------------------------------------------------------

    /// <summary>Opens a store on a file that must be refused and checks the refusal names the file and leaves the folder
    /// exactly as it was: same bytes, no -wal, -shm or lock file added.</summary>
    private JourneyStoreException AssertRefusedUntouched(string path)
    {
        var before = Fingerprint();
        var refused = Assert.Throws<JourneyStoreException>(() => new SqliteJourneyStore(path));
        Assert.Equal(before, Fingerprint());
        Assert.Equal(Path.GetFullPath(path), refused.FilePath);
        Assert.Contains(Path.GetFullPath(path), refused.Message, StringComparison.Ordinal);
        Assert.Contains("left untouched", refused.Message, StringComparison.Ordinal);
        return refused;
    }

    private string Fingerprint() => string.Join("\n", Directory.GetFiles(_folder.Path).Order(StringComparer.Ordinal)
        .Select(f => $"{Path.GetFileName(f)} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))}"));

    [Fact]
    public void Open_GarbageFile_RefusedAsNotADatabaseAndLeftByteIdentical()
    {
        var garbage = new byte[64 * 1024];
        new Random(7).NextBytes(garbage);
        _folder.WriteBytes("journeys.db", garbage);

        var refused = AssertRefusedUntouched(DbPath);
        Assert.Contains("not a SQLite database", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_SqliteHeaderFollowedByGarbage_RefusedAsCorruptAndLeftByteIdentical()
    {
        var bytes = new byte[8192];
        new Random(7).NextBytes(bytes);
        "SQLite format 3\0"u8.CopyTo(bytes);
        _folder.WriteBytes("journeys.db", bytes);

        var refused = AssertRefusedUntouched(DbPath);
        Assert.Contains("corrupt", refused.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Open_AnotherApplicationsDatabase_RefusedNamingItsTablesAndLeftByteIdentical(bool wal)
    {
        using (var connection = Open(DbPath))
        {
            Execute(connection, (wal ? "PRAGMA journal_mode = WAL;" : "") +
                                "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5);");
        }

        var refused = AssertRefusedUntouched(DbPath);
        Assert.Contains("another application's database", refused.Reason, StringComparison.Ordinal);
        Assert.Contains("tables: invoices", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_DatabaseWithAnotherApplicationId_RefusedAndLeftByteIdentical()
    {
        using (var connection = Open(DbPath))
        {
            Execute(connection, "PRAGMA application_id = 1179012432; PRAGMA user_version = 1; CREATE TABLE customers (id TEXT, snapshot TEXT);");
        }

        var refused = AssertRefusedUntouched(DbPath);
        Assert.Contains("application_id is 1179012432 (0x46464D50)", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_WrittenByANewerSchemaVersion_RefusedAndLeftByteIdentical()
    {
        SaveThenEdit($"PRAGMA user_version = {SqliteSchema.CurrentVersion + 1}");

        var refused = AssertRefusedUntouched(DbPath);
        Assert.Contains($"schema version {SqliteSchema.CurrentVersion + 1}, and this version reads schema versions 1 to {SqliteSchema.CurrentVersion}", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_CurrentFileWithoutItsJourneyVersionsTable_RefusedAsDamaged()
    {
        SaveThenEdit("DROP TABLE journey_versions");

        var refused = AssertRefusedUntouched(DbPath);
        Assert.Contains($"a damaged Journeys database: schema version {SqliteSchema.CurrentVersion}, but journey_versions missing", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_FileAnotherStoreHasOpen_RefusedUntilThatStoreIsDisposed()
    {
        var first = new SqliteJourneyStore(DbPath);
        var refused = Assert.Throws<JourneyStoreException>(() => new SqliteJourneyStore(DbPath));
        Assert.Contains("in use by another store", refused.Reason, StringComparison.Ordinal);

        first.Dispose();
        new SqliteJourneyStore(DbPath).Dispose();
    }

    [Fact]
    public void Decode_CustomerRecordThatIsNotValid_ThrowsNamingTheCustomer()
    {
        SaveThenEdit("UPDATE customer_log SET data = CAST('{\"timeZone\": \"UTC\", \"instances\": [{\"journey\": \"nurture\"}]}' AS BLOB)"); // saved to the log

        using var reopened = new SqliteJourneyStore(DbPath);
        var error = Assert.Throws<JourneyRecordException>(() => reopened.LoadAll());
        Assert.Equal(("c1", "'version' is missing"), (error.Key, error.Reason));
    }

    // ---- concurrency -----------------------------------------------------------------------------------------------

    [Fact]
    public void SaveChanges_FromSeveralThreadsAtOnce_KeepsEveryThreadsLastWrite()
    {
        const int threads = 6, batches = 20, perBatch = 25;
        using var store = new SqliteJourneyStore(DbPath);
        using var start = new Barrier(threads);
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            start.SignalAndWait();
            for (var b = 0; b < batches; b++)
            {
                store.SaveChanges(Enumerable.Range(0, perBatch).Select(i => new CustomerSnapshot
                {
                    Id = $"p{t}-c{i:D3}", // each thread owns its customers, as a partition does
                    Traits = new Dictionary<string, object?> { ["batch"] = (double)b },
                }).ToList());
            }
        });

        var all = store.LoadAll().ToList();
        Assert.Equal(threads * perBatch, all.Count);
        Assert.All(all, s => Assert.Equal((double)(batches - 1), s.Traits["batch"]));
    }

    // ---- backups ---------------------------------------------------------------------------------------------------

    [Fact]
    public void Backup_NewStoreOnTheCopy_LoadsTheSameCustomers()
    {
        var backup = _folder.File("backup/journeys-copy.db");
        Directory.CreateDirectory(Path.GetDirectoryName(backup)!);
        using (var store = new SqliteJourneyStore(DbPath))
        {
            store.SaveChanges([Full("c1"), new CustomerSnapshot { Id = "c2", TimeZone = "Europe/Berlin" }]);
            store.Backup(backup);
            store.SaveChanges([new CustomerSnapshot { Id = "c3" }]); // after the backup: not in it
        }

        using var restored = new SqliteJourneyStore(backup);
        var loaded = restored.LoadAll().ToList();
        Assert.Equal(["c1", "c2"], loaded.Select(s => s.Id));
        AssertSameSnapshot(Full("c1"), loaded[0]);
    }

    [Fact]
    public async Task Backup_WhileAnotherThreadWrites_CopyHoldsWholeBatchesOnly()
    {
        using var store = new SqliteJourneyStore(DbPath);
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            for (var generation = 0.0; !stop.IsCancellationRequested; generation++)
            {
                store.SaveChanges(Enumerable.Range(0, 50).Select(i => new CustomerSnapshot
                {
                    Id = $"c{i:D2}",
                    Traits = new Dictionary<string, object?> { ["generation"] = generation },
                }).ToList());
            }
        });
        SpinWait.SpinUntil(() => File.Exists(DbPath + "-wal") && store.Count == 50);

        var copies = Enumerable.Range(0, 3).Select(i => _folder.File($"copy{i}.db")).ToList();
        foreach (var copy in copies)
        {
            store.Backup(copy);
        }

        stop.Cancel();
        await writer;
        foreach (var copy in copies)
        {
            using var restored = new SqliteJourneyStore(copy);
            var generations = restored.LoadAll().Select(s => s.Traits["generation"]).Distinct().ToList();
            Assert.Single(generations); // one batch is one transaction: never half of one in a copy
        }
    }

    [Fact]
    public void Backup_OntoItsOwnFile_Throws()
    {
        using var store = new SqliteJourneyStore(DbPath);
        Assert.Throws<ArgumentException>(() => store.Backup(DbPath));
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    /// <summary>A store file holding customer c1, then changed behind the store's back.</summary>
    private void SaveThenEdit(string sql)
    {
        using (var store = new SqliteJourneyStore(DbPath))
        {
            store.SaveChanges([Full("c1")]);
        }

        using var connection = Open(DbPath);
        Execute(connection, sql);
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString);
        connection.Open();
        return connection;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
