using System.Text;
using Journeys.Persistence;
using Journeys.Sqlite;
using Journeys.Tests.Support;

namespace Journeys.Tests.Persistence;

/// <summary>The SQLite store opening files older schema versions wrote: each migrated to the current schema, keeping
/// what it held.</summary>
public sealed partial class SqliteJourneyStoreTests
{
    [Fact]
    public void Open_VersionOneFile_MigratedToTheCurrentSchemaWithAnOutboxKeepingItsCustomers()
    {
        // A file as schema version 1 wrote it: customers only, no outbox.
        using (var connection = Open(DbPath))
        {
            Execute(connection, "PRAGMA journal_mode = WAL; CREATE TABLE customers (id TEXT NOT NULL PRIMARY KEY, snapshot TEXT NOT NULL) STRICT;" +
                                $"PRAGMA application_id = {SqliteSchema.ApplicationId}; PRAGMA user_version = 1;");
            Execute(connection, $"INSERT INTO customers VALUES ('c1', '{Text(SnapshotJson.Write(Full("c1"))).Replace("'", "''", StringComparison.Ordinal)}')");
        }

        using (var store = new SqliteJourneyStore(DbPath))
        {
            AssertSameSnapshot(Full("c1"), Assert.Single(store.LoadAll()));
            Assert.Empty(store.LoadOutbox());
            store.SaveChanges([], [Message("k1")]);
        }

        using var reopened = Open(DbPath);
        Assert.Equal((long)SqliteSchema.CurrentVersion, Scalar(reopened, "PRAGMA user_version"));
        Assert.Equal(1L, Scalar(reopened, "SELECT count(*) FROM outbox"));
    }

    [Fact]
    public void Open_VersionThreeFileWithAnOutbox_MigratedKeepingItsRowsInOrderWithNoAttemptsAndThenRecordsAttempts()
    {
        // A file as schema version 3 wrote it: the outbox without an attempts column, rows in the message format of then.
        using (var connection = Open(DbPath))
        {
            Execute(connection, "PRAGMA journal_mode = WAL; CREATE TABLE customers (id TEXT NOT NULL PRIMARY KEY, snapshot TEXT NOT NULL) STRICT;" +
                                "CREATE TABLE journey_versions (journey TEXT NOT NULL, version INTEGER NOT NULL, source TEXT NOT NULL, PRIMARY KEY (journey, version)) STRICT;" +
                                "CREATE TABLE outbox (key TEXT NOT NULL PRIMARY KEY, message TEXT NOT NULL) STRICT;" +
                                $"PRAGMA application_id = {SqliteSchema.ApplicationId}; PRAGMA user_version = 3;");
            foreach (var key in new[] { "k2", "k1" })
            {
                Execute(connection, $"INSERT INTO outbox VALUES ('{key}', '{Text(OutboxJson.Write(Message(key))).Replace("'", "''", StringComparison.Ordinal)}')");
            }
        }

        using (var store = new SqliteJourneyStore(DbPath))
        {
            var loaded = store.LoadOutbox();
            Assert.Equal([("k2", 0), ("k1", 0)], loaded.Select(m => (m.IdempotencyKey, m.PreviousAttempts)));
            Assert.Equal(Message("k2") with { Traits = loaded[0].Traits, EventProperties = loaded[0].EventProperties }, loaded[0]);
            store.SaveChanges([], [loaded[0] with { PreviousAttempts = 2 }]);
        }

        using (var reopened = new SqliteJourneyStore(DbPath))
        {
            Assert.Equal([("k2", 2), ("k1", 0)], reopened.LoadOutbox().Select(m => (m.IdempotencyKey, m.PreviousAttempts)));
        }

        using var migrated = Open(DbPath);
        Assert.Equal((long)SqliteSchema.CurrentVersion, Scalar(migrated, "PRAGMA user_version"));
    }

    [Fact]
    public async Task Open_VersionFourFile_MigratedToRecordsKeepingEveryDocumentByteForByteAndTheOutboxOrderAndAttempts()
    {
        // A file as schema version 4 (the last before opaque records) wrote it: documents in TEXT columns, the outbox's
        // attempt counts in a column of their own; statements as migrations 0 to 3 of SqliteSchema ran them.
        var c1 = Text(SnapshotJson.Write(Full("c1")));
        var c2 = Text(SnapshotJson.Write(new CustomerSnapshot { Id = "c2", TimeZone = "Europe/Berlin" }));
        using (var connection = Open(DbPath))
        {
            Execute(connection, "PRAGMA journal_mode = WAL; CREATE TABLE customers (id TEXT NOT NULL PRIMARY KEY, snapshot TEXT NOT NULL) STRICT;" +
                                "CREATE TABLE journey_versions (journey TEXT NOT NULL, version INTEGER NOT NULL, source TEXT NOT NULL, PRIMARY KEY (journey, version)) STRICT;" +
                                "CREATE TABLE outbox (key TEXT NOT NULL PRIMARY KEY, message TEXT NOT NULL) STRICT;" +
                                "ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;" +
                                "INSERT INTO journey_versions VALUES ('nurture', 1, 'journey: nurture');" +
                                $"PRAGMA application_id = {SqliteSchema.ApplicationId}; PRAGMA user_version = 4;");
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO customers (id, snapshot) VALUES ('c2', $c2), ('c1', $c1);" +
                                 "INSERT INTO outbox (key, message, attempts) VALUES ('k2', $k2, 2), ('k1', $k1, 0), ('k3', $k3, 11)";
            insert.Parameters.AddWithValue("$c1", c1);
            insert.Parameters.AddWithValue("$c2", c2);
            foreach (var key in new[] { "k1", "k2", "k3" })
            {
                insert.Parameters.AddWithValue("$" + key, Text(OutboxJson.Write(Message(key))));
            }

            insert.ExecuteNonQuery();
        }

        using (var store = new SqliteJourneyStore(DbPath))
        {
            var customers = new List<CustomerRecord>();
            await foreach (var record in store.LoadCustomersAsync(CancellationToken.None))
            {
                customers.Add(record);
            }

            Assert.Equal([("c1", 1, c1), ("c2", 1, c2)], customers.Select(r => (r.Id, r.Version, Encoding.UTF8.GetString(r.Data.Span))));
            var outbox = await store.LoadOutboxAsync(CancellationToken.None);
            Assert.Equal(
                [("k2", 1, Text(OutboxJson.Write(Message("k2") with { PreviousAttempts = 2 }))), ("k1", 1, Text(OutboxJson.Write(Message("k1")))),
                 ("k3", 1, Text(OutboxJson.Write(Message("k3") with { PreviousAttempts = 11 })))],
                outbox.Select(r => (r.Key, r.Version, Encoding.UTF8.GetString(r.Data.Span))));
            Assert.Equal([("k2", 2), ("k1", 0), ("k3", 11)], store.LoadOutbox().Select(m => (m.IdempotencyKey, m.PreviousAttempts)));
            AssertSameSnapshot(Full("c1"), store.LoadAll()[0]);
            Assert.Equal("journey: nurture", Assert.Single(store.LoadJourneyVersions()).Source);
        }

        using var migrated = Open(DbPath);
        Assert.Equal((long)SqliteSchema.CurrentVersion, Scalar(migrated, "PRAGMA user_version"));
        Assert.Equal("blob", Scalar(migrated, "SELECT typeof(data) FROM customers WHERE id = 'c1'"));
    }

    [Fact]
    public async Task Open_Version1File_IsMigratedToTheCurrentSchemaAndKeepsItsCustomers()
    {
        // A file as schema version 1 wrote it: one customer inside nurture version 1, at 'guide' since T0.
        var c1 = Full("c1") with
        {
            Instances = [new InstanceSnapshot("nurture", 1, 1, "guide", T0, T0)],
            Deferred = [],
            Journeys = [new JourneyMemorySnapshot("nurture", 1, T0)],
        };
        using (var connection = Open(DbPath))
        {
            Execute(connection, $"""
                PRAGMA journal_mode = wal;
                CREATE TABLE customers (id TEXT NOT NULL PRIMARY KEY, snapshot TEXT NOT NULL) STRICT;
                PRAGMA application_id = {SqliteSchema.ApplicationId};
                PRAGMA user_version = 1;
                """);
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO customers (id, snapshot) VALUES ('c1', $snapshot)";
            insert.Parameters.AddWithValue("$snapshot", Text(SnapshotJson.Write(c1)));
            insert.ExecuteNonQuery();
        }

        using (var store = new SqliteJourneyStore(DbPath))
        {
            AssertSameSnapshot(c1, Assert.Single(store.LoadAll()));
            Assert.Empty(store.LoadJourneyVersions());
        }

        using (var connection = Open(DbPath))
        {
            Assert.Equal((long)SqliteSchema.CurrentVersion, Scalar(connection, "PRAGMA user_version"));
        }

        const string nurture = """
            journey: nurture
            entry: { on: signed_up }
            start: guide
            steps:
              guide:
                then: [ { after: 7d, goto: consult } ]
              consult:
                send: { channel: push, template: nurture/consult }
            """;
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(T0.AddDays(1));
        using (var store = new SqliteJourneyStore(DbPath))
        {
            var channel = new Journeys.Delivery.RecordingChannel();
            var engine = new Journeys.Engine.JourneyEngineBuilder()
                .UseCatalog(Journeys.Language.Loading.JourneyLoader.LoadYaml(("nurture.yaml", nurture)))
                .AddChannel(channel).UseTimeProvider(time).UseStore(store).WithPartitions(1).Build().Start();
            time.Advance(TimeSpan.FromDays(7));
            await engine.DrainAsync();
            await engine.StopAsync();

            Assert.Equal("nurture:1:c1:1:consult:0", Assert.Single(channel.Messages).IdempotencyKey);
            Assert.Equal(1, Assert.Single(store.LoadJourneyVersions()).Version);
        }
    }
}
