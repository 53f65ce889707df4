using Journeys.Persistence;
using Journeys.Sqlite;
using Journeys.Tests.Support;

namespace Journeys.Tests.Persistence;

/// <summary>The SQLite store's write path of schema version 8 (issue #19): customers appended to <c>customer_log</c> and
/// folded into <c>customers</c> when the log grows long, rows written 32 a statement. Every read must see each
/// customer's latest record whichever table holds it, exactly as a store that replaces records in place.</summary>
public sealed partial class SqliteJourneyStoreTests
{
    /// <summary>Random saves, erases, merges and reopenings over ten ids, applied to the in-memory store (which replaces
    /// each record in place) and to two SQLite stores: one folding its log every few rows, one never within the run.
    /// After every step every read of both — each id's point read, the full load, the count — equals the in-memory
    /// store's, byte for byte.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task SaveChanges_AppendedToTheLogOrFolded_EveryReadEqualsAStoreThatReplacesInPlace(int seed)
    {
        var random = new Random(seed);
        var model = new InMemoryJourneyStore();
        var paths = new[] { _folder.File("folding.db"), _folder.File("appending.db") };
        var limits = new[] { 7, int.MaxValue };
        var stores = new SqliteJourneyStore[2];
        for (var s = 0; s < 2; s++)
        {
            stores[s] = new SqliteJourneyStore(paths[s]) { CompactLogRows = limits[s] };
        }

        try
        {
            for (var step = 0; step < 120; step++)
            {
                var roll = random.Next(20);
                if (roll < 15)
                {
                    var ids = Enumerable.Range(0, 10).Where(_ => random.Next(3) == 0).Select(i => "c" + i).ToList();
                    var records = ids.Select(id => new CustomerRecord(id, random.Next(1, 3), Bytes(random, random.Next(0, 6000)))).ToList();
                    await model.SaveChangesAsync(records, [], [], CancellationToken.None);
                    foreach (var store in stores)
                    {
                        await store.SaveChangesAsync(records, [], [], CancellationToken.None);
                    }
                }
                else if (roll < 17)
                {
                    var id = "c" + random.Next(10);
                    await model.ForgetCustomerAsync(id, [], CancellationToken.None);
                    foreach (var store in stores)
                    {
                        await store.ForgetCustomerAsync(id, [], CancellationToken.None);
                    }
                }
                else if (roll < 19)
                {
                    var (kept, merged) = ("c" + random.Next(5), "c" + random.Next(5, 10));
                    var record = new CustomerRecord(kept, 2, Bytes(random, random.Next(0, 300)));
                    await model.MergeCustomersAsync(record, merged, CancellationToken.None);
                    foreach (var store in stores)
                    {
                        await store.MergeCustomersAsync(record, merged, CancellationToken.None);
                    }
                }
                else
                {
                    for (var s = 0; s < 2; s++)
                    {
                        stores[s].Dispose(); // as after a restart: the log is read back from the file
                        stores[s] = new SqliteJourneyStore(paths[s]) { CompactLogRows = limits[s] };
                    }
                }

                var expected = Contents(model.LoadCustomersAsync(CancellationToken.None), model.Count, model.Find);
                foreach (var store in stores)
                {
                    Assert.Equal(expected, Contents(store.LoadCustomersAsync(CancellationToken.None), store.Count, store.Find));
                }
            }

            using var folded = Open(paths[0]);
            Assert.True((long)Scalar(folded, "SELECT count(*) FROM customers")! > 0, "the folding store never folded");
            using var appended = Open(paths[1]);
            Assert.Equal(0L, Scalar(appended, "SELECT count(*) FROM customers"));
        }
        finally
        {
            Array.ForEach(stores, s => s.Dispose());
        }
    }

    [Fact]
    public void SaveChanges_LogReachesItsLimit_FoldedIntoTheTableInThatSaveKeepingEachCustomersLatest()
    {
        using (var store = new SqliteJourneyStore(DbPath) { CompactLogRows = 5 })
        {
            store.SaveChanges([Full("c1"), new CustomerSnapshot { Id = "c2" }]);
            store.SaveChanges([new CustomerSnapshot { Id = "c1", TimeZone = "Europe/Berlin" }, new CustomerSnapshot { Id = "c3" }]);
            using (var before = Open(DbPath))
            {
                Assert.Equal((4L, 0L), ((long)Scalar(before, "SELECT count(*) FROM customer_log")!, (long)Scalar(before, "SELECT count(*) FROM customers")!));
            }

            store.SaveChanges([new CustomerSnapshot { Id = "c2", TimeZone = "Asia/Shanghai" }]); // the fifth row: folded in this save
        }

        using (var after = Open(DbPath))
        {
            Assert.Equal((0L, 3L), ((long)Scalar(after, "SELECT count(*) FROM customer_log")!, (long)Scalar(after, "SELECT count(*) FROM customers")!));
        }

        using var reopened = new SqliteJourneyStore(DbPath);
        Assert.Equal([("c1", "Europe/Berlin"), ("c2", "Asia/Shanghai"), ("c3", "UTC")], reopened.LoadAll().Select(c => (c.Id, c.TimeZone)));
    }

    [Fact]
    public void SaveChanges_MoreRowsThanOneStatementHolds_OutboxKeepsItsOrderAndEveryDoneKeyIsRemoved()
    {
        // 70 messages: two statements of 32 rows and six of one; keys not in sorted order, so the order kept is the order added.
        var keys = Enumerable.Range(0, 70).Select(i => $"k{(i * 37) % 70:D2}").ToList();
        var customers = Enumerable.Range(0, 40).Select(i => new CustomerSnapshot { Id = $"c{i:D2}" }).ToList();
        List<string> done;
        using (var store = new SqliteJourneyStore(DbPath))
        {
            store.SaveChanges(customers, keys.Select(k => Message(k)).ToList());
            Assert.Equal(keys, store.LoadOutbox().Select(m => m.IdempotencyKey));
            Assert.Equal(40, store.Count);

            // 41 done (one statement of 32 and nine of one), and one message still in flight re-added with its attempts.
            done = keys.Where((_, i) => i % 5 != 0).Take(41).ToList();
            store.SaveChanges([], [Message(keys[10]) with { PreviousAttempts = 2 }], done);
        }

        using var reopened = new SqliteJourneyStore(DbPath);
        var left = reopened.LoadOutbox();
        Assert.Equal(keys.Except(done), left.Select(m => m.IdempotencyKey));
        Assert.Equal(29, left.Count);
        Assert.Equal(2, left.Single(m => m.IdempotencyKey == keys[10]).PreviousAttempts);
        Assert.Equal(customers.Select(c => c.Id), reopened.LoadAll().Select(c => c.Id));
    }

    [Fact]
    public async Task Open_VersionSevenFile_MigratedKeepingItsCustomersWhichLaterSavesReplace()
    {
        // A file as schema version 7 wrote it: records in customers and outbox, paused journeys, aliases.
        var c1 = RecordCodec.Encode(Full("c1"));
        using (var connection = Open(DbPath))
        {
            Execute(connection, """
                PRAGMA journal_mode = WAL;
                CREATE TABLE customers (id TEXT NOT NULL PRIMARY KEY, version INTEGER NOT NULL, data BLOB NOT NULL) STRICT;
                CREATE TABLE journey_versions (journey TEXT NOT NULL, version INTEGER NOT NULL, source TEXT NOT NULL, PRIMARY KEY (journey, version)) STRICT;
                CREATE TABLE outbox (key TEXT NOT NULL PRIMARY KEY, version INTEGER NOT NULL, data BLOB NOT NULL) STRICT;
                CREATE TABLE paused_journeys (journey TEXT NOT NULL PRIMARY KEY) STRICT;
                CREATE TABLE customer_aliases (alias TEXT NOT NULL PRIMARY KEY, customer TEXT NOT NULL) STRICT;
                CREATE INDEX customer_aliases_by_customer ON customer_aliases (customer);
                INSERT INTO customer_aliases VALUES ('old-c1', 'c1');
                INSERT INTO paused_journeys VALUES ('nurture');
                """ + $"PRAGMA application_id = {SqliteSchema.ApplicationId}; PRAGMA user_version = 7;");
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO customers VALUES ('c1', $version, $c1), ('c2', 2, $c2); INSERT INTO outbox VALUES ('k1', 1, $k1)";
            insert.Parameters.AddWithValue("$version", c1.Version);
            insert.Parameters.AddWithValue("$c1", c1.Data.ToArray());
            insert.Parameters.AddWithValue("$c2", RecordCodec.Encode(new CustomerSnapshot { Id = "c2" }).Data.ToArray());
            insert.Parameters.AddWithValue("$k1", OutboxJson.Write(Message("k1")));
            insert.ExecuteNonQuery();
        }

        using (var store = new SqliteJourneyStore(DbPath))
        {
            Assert.Equal(2, store.Count);
            AssertSameSnapshot(Full("c1"), store.Find("c1")!.Decoded());
            Assert.True(store.Find("c1")!.Data.Span.SequenceEqual(c1.Data.Span));
            Assert.Equal("k1", Assert.Single(store.LoadOutbox()).IdempotencyKey);
            store.SaveChanges([new CustomerSnapshot { Id = "c1", TimeZone = "Europe/Berlin" }]);
            Assert.Equal([("c1", "Europe/Berlin"), ("c2", "UTC")], store.LoadAll().Select(c => (c.Id, c.TimeZone)));
        }

        using (var reopened = new SqliteJourneyStore(DbPath))
        {
            Assert.Equal("Europe/Berlin", reopened.Find("c1")!.Decoded().TimeZone);
            Assert.Equal(["nurture"], await reopened.LoadPausedJourneysAsync(CancellationToken.None));
            Assert.Equal(new CustomerAlias("old-c1", "c1"), Assert.Single(await reopened.LoadAliasesAsync(CancellationToken.None)));
        }

        using var migrated = Open(DbPath);
        Assert.Equal((long)SqliteSchema.CurrentVersion, Scalar(migrated, "PRAGMA user_version"));
        Assert.Equal(9L, Scalar(migrated, "PRAGMA user_version"));
        Assert.Equal(1L, Scalar(migrated, "SELECT count(*) FROM customer_log WHERE id = 'c1'"));
    }

    /// <summary>Statements of 32 rows are <c>INSERT OR FAIL</c> (no statement journal): rows before the one that fails
    /// stay written by that statement, so only the transaction's rollback keeps the save all or nothing. A trigger refuses
    /// one customer's row inside the first statement of 32 (row 20) or among the rows written one by one after (row 35);
    /// either way nothing of the batch is kept, and the next save works.</summary>
    [Theory]
    [InlineData(20)]
    [InlineData(35)]
    public void SaveChanges_ARowFailsHalfwayThroughAStatement_NothingOfTheBatchIsKept(int bad)
    {
        using (var store = new SqliteJourneyStore(DbPath))
        {
            store.SaveChanges([Full("kept")], [Message("k0")]);
        }

        using (var connection = Open(DbPath))
        {
            Execute(connection, $"CREATE TRIGGER refuse BEFORE INSERT ON customer_log WHEN NEW.id = 'c{bad:D2}' BEGIN SELECT RAISE(FAIL, 'refused'); END");
        }

        using (var store = new SqliteJourneyStore(DbPath))
        {
            var records = Enumerable.Range(0, 40).Select(i => RecordCodec.Encode(new CustomerSnapshot { Id = $"c{i:D2}" })).ToList();
            var messages = Enumerable.Range(1, 40).Select(i => RecordCodec.Encode(Message($"k{i}"))).ToList();

            var error = Assert.Throws<Journeys.Diagnostics.JourneyStoreException>(() =>
                store.SaveChangesAsync(records, messages, ["k0"], CancellationToken.None).AsTask().GetAwaiter().GetResult());

            Assert.Contains("none was saved", error.Reason, StringComparison.Ordinal);
            Assert.Contains("refused", error.Reason, StringComparison.Ordinal);
            Assert.Equal(["kept"], store.LoadAll().Select(c => c.Id));
            Assert.Equal(["k0"], store.LoadOutbox().Select(m => m.IdempotencyKey));
            store.SaveChanges([new CustomerSnapshot { Id = "c00" }], [Message("k1")], ["k0"]);
            Assert.Equal(["c00", "kept"], store.LoadAll().Select(c => c.Id));
            Assert.Equal(["k1"], store.LoadOutbox().Select(m => m.IdempotencyKey));
        }
    }

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>What a store holds, read every way: the full load (id, version, bytes, in id order), the count, and each
    /// of ten ids' point read.</summary>
    private static string Contents(IAsyncEnumerable<CustomerRecord> all, int count, Func<string, CustomerRecord?> find)
    {
        static string Row(CustomerRecord? r) => r is null ? "-" : $"{r.Id}:{r.Version}:{Convert.ToHexString(r.Data.Span)}";
        var loaded = all.ToBlockingEnumerable().OrderBy(r => r.Id, StringComparer.Ordinal).Select(Row);
        var points = Enumerable.Range(0, 10).Select(i => Row(find("c" + i)));
        return $"{count}|{string.Join(",", loaded)}|{string.Join(",", points)}";
    }
}
