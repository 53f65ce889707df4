using System.Globalization;
using System.Text;
using Journeys.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Journeys.Sqlite;

/// <summary>The SQLite store's file format: how a file is recognised (the SQLite header's <c>application_id</c>), which
/// schema version it holds (<c>user_version</c>), the versioned migrations, and the inspection that refuses a file
/// before anything writes to it.</summary>
internal static class SqliteSchema
{
    /// <summary><c>PRAGMA application_id</c> of a Journeys database: the bytes "JRNY".</summary>
    public const int ApplicationId = 0x4A524E59;

    /// <summary>The schema version this build writes (<c>PRAGMA user_version</c>).</summary>
    public const int CurrentVersion = 9;

    /// <summary><c>Migrations[n]</c> upgrades version n to n + 1; each runs in one transaction that also sets the new
    /// <c>user_version</c>, so a crash mid-migration leaves the old version intact. Never edit a shipped entry: add one.</summary>
    private static readonly string[] Migrations =
    [
        // 0 → 1: one row per customer, the snapshot as a JSON document (now the engine's SnapshotJson, format version 1).
        """
        CREATE TABLE customers (
            id       TEXT NOT NULL PRIMARY KEY,
            snapshot TEXT NOT NULL
        ) STRICT;
        """,

        // 1 → 2: the journey versions the engine runs (their YAML source), so older ones can finish (versioning: finish).
        """
        CREATE TABLE journey_versions (
            journey TEXT    NOT NULL,
            version INTEGER NOT NULL,
            source  TEXT    NOT NULL,
            PRIMARY KEY (journey, version)
        ) STRICT;
        """,

        // 2 → 3: the delivery outbox, one row per message a saved batch decided to send (OutboxJson), removed when its
        // delivery has ended; rowid order is the order they were added.
        """
        CREATE TABLE outbox (
            key     TEXT NOT NULL PRIMARY KEY,
            message TEXT NOT NULL
        ) STRICT;
        """,

        // 3 → 4: each outbox message's delivery attempts that failed with another to follow, so an engine restarted
        // during its retries goes on from there (OutboundMessage.PreviousAttempts); rows written before count 0.
        """
        ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
        """,

        // 4 → 5: opaque records (IJourneyStore of issue #17): each row keeps the engine's format version and its payload as
        // bytes, which the store never reads. The documents of before are format version 1, kept byte for byte (a TEXT
        // column's UTF-8 cast to BLOB); an outbox row's attempt count moves into its document as the last member,
        // "attempts", written only when above 0, as the engine writes it. Outbox rows keep their rowid, so their order.
        """
        CREATE TABLE customers_v5 (
            id      TEXT    NOT NULL PRIMARY KEY,
            version INTEGER NOT NULL,
            data    BLOB    NOT NULL
        ) STRICT;
        INSERT INTO customers_v5 (id, version, data) SELECT id, 1, CAST(snapshot AS BLOB) FROM customers;
        DROP TABLE customers;
        ALTER TABLE customers_v5 RENAME TO customers;
        CREATE TABLE outbox_v5 (
            key     TEXT    NOT NULL PRIMARY KEY,
            version INTEGER NOT NULL,
            data    BLOB    NOT NULL
        ) STRICT;
        INSERT INTO outbox_v5 (rowid, key, version, data)
            SELECT rowid, key, 1, CAST(CASE WHEN attempts > 0 THEN substr(message, 1, length(message) - 1) || ',"attempts":' || attempts || '}'
                                            ELSE message END AS BLOB)
            FROM outbox ORDER BY rowid;
        DROP TABLE outbox;
        ALTER TABLE outbox_v5 RENAME TO outbox;
        """,

        // 5 → 6: the journeys an operator paused (JourneyEngine.PauseJourneyAsync), one row per journey id.
        """
        CREATE TABLE paused_journeys (
            journey TEXT NOT NULL PRIMARY KEY
        ) STRICT;
        """,

        // 6 → 7 (merging customers, #21): ids merged into another customer; inputs for an alias reach the customer it
        // names, which is never itself an alias.
        """
        CREATE TABLE customer_aliases (
            alias    TEXT NOT NULL PRIMARY KEY,
            customer TEXT NOT NULL
        ) STRICT;
        CREATE INDEX customer_aliases_by_customer ON customer_aliases (customer);
        """,

        // 7 → 8 (durable ingest, #19): a batch's changed customers are appended to customer_log (sequential pages) instead
        // of replacing their rows in customers (a random page each); the latest row of an id in the log wins, and the
        // log is folded into customers when it grows long (SqliteJourneyStore.CompactLogRows). customer_records is what
        // the two hold together: each customer's latest record. A version 7 file's customers stay where they are.
        """
        CREATE TABLE customer_log (
            seq     INTEGER PRIMARY KEY,
            id      TEXT    NOT NULL,
            version INTEGER NOT NULL,
            data    BLOB    NOT NULL
        ) STRICT;
        CREATE INDEX customer_log_by_id ON customer_log (id, seq);
        CREATE VIEW customer_records (id, version, data) AS
            SELECT id, version, data FROM customers WHERE id NOT IN (SELECT id FROM customer_log)
            UNION ALL
            SELECT id, version, data FROM customer_log WHERE seq IN (SELECT max(seq) FROM customer_log GROUP BY id);
        """,

        // 8 → 9 (schedules made up after a restart, #18): the engine's committed clock, one row (id 1) of UTC ticks; none
        // in a file written before, so the first start on it makes nothing up.
        """
        CREATE TABLE engine_clock (
            id    INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
            ticks INTEGER NOT NULL
        ) STRICT;
        """,
    ];

    /// <summary><c>RequiredTables[n]</c>: the tables a file at schema version n must hold (a file missing one is damaged).</summary>
    private static readonly string[][] RequiredTables =
    [
        [],
        ["customers"],
        ["customers", "journey_versions"],
        ["customers", "journey_versions", "outbox"],
        ["customers", "journey_versions", "outbox"],
        ["customers", "journey_versions", "outbox"],
        ["customers", "journey_versions", "outbox", "paused_journeys"],
        ["customers", "journey_versions", "outbox", "paused_journeys", "customer_aliases"],
        ["customers", "journey_versions", "outbox", "paused_journeys", "customer_aliases", "customer_log"],
        ["customers", "journey_versions", "outbox", "paused_journeys", "customer_aliases", "customer_log", "engine_clock"],
    ];

    private static ReadOnlySpan<byte> Magic => "SQLite format 3\0"u8;

    /// <summary>Decides whether the file may be used, without writing to it: returns its schema version (0 for a file that
    /// does not exist yet or an empty database), or throws when it is not a SQLite database, is another application's,
    /// or was written by a newer schema.</summary>
    public static int Inspect(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.Length == 0)
        {
            if (info.Directory is { Exists: false } folder)
            {
                throw new JourneyStoreException(path, $"the folder '{folder.FullName}' does not exist.");
            }

            return 0;
        }

        Span<byte> header = stackalloc byte[100];
        int read;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            read = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }

        if (read < header.Length || !header[..Magic.Length].SequenceEqual(Magic))
        {
            throw new JourneyStoreException(path,
                "not a SQLite database: the file does not start with the SQLite header, so it is corrupt or another kind of file. " +
                "It was left untouched; restore a backup or point the store at a new file.");
        }

        var (applicationId, version, tables) = ReadSchema(path);
        var tableList = tables.Count == 0 ? "none" : string.Join(", ", tables);
        if (applicationId != ApplicationId)
        {
            if (applicationId == 0 && version == 0 && tables.Count == 0)
            {
                return 0; // an empty database: ours to initialise
            }

            var owner = applicationId == 0 ? "it has no application_id" : $"its application_id is {applicationId} (0x{applicationId:X8})";
            throw new JourneyStoreException(path,
                $"another application's database: {owner}, not Journeys' {ApplicationId} (0x{ApplicationId:X8}); tables: {tableList}. " +
                "It was left untouched; point the store at a Journeys database or a new file.");
        }

        if (version > CurrentVersion)
        {
            throw new JourneyStoreException(path,
                $"written by a newer version of Journeys: schema version {version}, and this version reads schema versions 1 to {CurrentVersion}. " +
                "It was left untouched; run the newer Journeys, or restore a backup taken before the upgrade.");
        }

        var missing = version < 1 ? ["schema version"] : RequiredTables[version].Where(t => !tables.Contains(t, StringComparer.Ordinal)).ToArray();
        if (missing.Length > 0)
        {
            throw new JourneyStoreException(path,
                $"a damaged Journeys database: schema version {version}, but {string.Join(", ", missing)} missing. It was left untouched; restore a backup.");
        }

        return version;
    }

    /// <summary>Reads the header's ids and the table names through a read-only connection. Without a write-ahead log the
    /// file alone is the database, so it is opened <c>immutable</c> (no lock, no -wal/-shm files created); with one, the
    /// log may hold newer pages, so it is read normally (a read-only connection never checkpoints).</summary>
    private static (int ApplicationId, int Version, List<string> Tables) ReadSchema(string path)
    {
        var wal = new FileInfo(path + "-wal");
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = wal is { Exists: true, Length: > 0 } ? path : FileUri(path) + "?immutable=1",
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        };
        try
        {
            using var connection = new SqliteConnection(builder.ConnectionString);
            connection.Open();
            var applicationId = Convert.ToInt32(Scalar(connection, "PRAGMA application_id"), CultureInfo.InvariantCulture);
            var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version"), CultureInfo.InvariantCulture);
            var tables = new List<string>();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }

            return (applicationId, version, tables);
        }
        catch (SqliteException ex)
        {
            throw new JourneyStoreException(path,
                $"a corrupt SQLite database: reading its schema failed ({ex.Message}). It was left untouched; restore a backup.", ex);
        }
    }

    /// <summary>The SQLite URI of a file (<c>file:///path</c>), every byte of the path's UTF-8 form that is not a letter, a
    /// digit or one of <c>/-._~</c> written as <c>%XX</c>: SQLite decodes every <c>%XX</c> of a URI, so a <c>%41</c> in a
    /// file name must reach it as <c>%2541</c> (<see cref="Uri"/> leaves it alone, and it named another file).</summary>
    internal static string FileUri(string path)
    {
        var full = Path.GetFullPath(path).Replace('\\', '/');
        var uri = new StringBuilder("file://", full.Length + 16);
        if (!full.StartsWith('/'))
        {
            uri.Append('/'); // a drive letter: file:///C:/...
        }

        foreach (var b in Encoding.UTF8.GetBytes(full))
        {
            var c = (char)b;
            if (b < 0x80 && (char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '.' or '_' or '~' || (c == ':' && uri.Length <= 10)))
            {
                uri.Append(c);
            }
            else
            {
                uri.Append(CultureInfo.InvariantCulture, $"%{b:X2}");
            }
        }

        return uri.ToString();
    }

    /// <summary>Brings a database from <paramref name="from"/> to <see cref="CurrentVersion"/>, one transaction per step.</summary>
    public static void Migrate(SqliteConnection connection, string path, int from)
    {
        for (var version = from; version < CurrentVersion; version++)
        {
            try
            {
                using var transaction = connection.BeginTransaction();
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = Migrations[version] +
                                      (version == 0 ? $";PRAGMA application_id = {ApplicationId}" : "") +
                                      $";PRAGMA user_version = {version + 1}";
                command.ExecuteNonQuery();
                transaction.Commit();
            }
            catch (SqliteException ex)
            {
                throw new JourneyStoreException(path, $"migrating the schema from version {version} to {version + 1} failed: {ex.Message}", ex);
            }
        }
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
