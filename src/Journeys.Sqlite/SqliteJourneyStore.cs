using Journeys.Delivery;
using Journeys.Diagnostics;
using Journeys.Language.Loading;
using Journeys.Persistence;
using Microsoft.Data.Sqlite;

namespace Journeys.Sqlite;

/// <summary>Keeps every customer's snapshot, and the delivery outbox, in a SQLite file, so an engine restarted on the same file — after a clean
/// stop or a crash — resumes where the last one left off. See docs/operations.md for the durability promise, recovery,
/// backups and the file format.
/// <para>Durability: the file is in WAL mode with <c>synchronous=FULL</c>, and each <see cref="SaveChanges"/> call (one
/// partition's batch) is one transaction, so a batch costs one fsync and is on disk — surviving a process kill, an OS
/// crash or a power cut — when the call returns. <c>NORMAL</c> would skip that fsync and could lose the last batches on
/// power loss; group commit already spreads the fsync over the batch, so the stronger setting is kept.</para>
/// <para>Threading: partition workers call <see cref="SaveChanges"/> concurrently; snapshots are serialised in parallel
/// and written one transaction at a time through a single connection (SQLite has one writer anyway).</para>
/// <para>At start the file is inspected before anything writes to it: a file that is not a SQLite database, another
/// application's database, or one written by a newer schema version is refused with a
/// <see cref="JourneyStoreException"/> and left untouched. Older schema versions are migrated, one versioned step at a
/// time. One store at a time may open a file (a lock file, <c>&lt;file&gt;.lock</c>, is held while it is open).</para></summary>
/// <example><code>
/// using var store = new SqliteJourneyStore("state/journeys.db");
/// await using var engine = new JourneyEngineBuilder().LoadFolder("journeys").UseStore(store).Build().Start();
/// </code></example>
public sealed class SqliteJourneyStore : IJourneyStore, IDisposable
{
    private readonly Lock _gate = new();
    private readonly FileStream _lockFile;
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _upsert;
    private readonly SqliteParameter _id;
    private readonly SqliteParameter _snapshot;
    private readonly SqliteCommand _outboxAdd;
    private readonly SqliteParameter _outboxAddKey;
    private readonly SqliteParameter _outboxMessage;
    private readonly SqliteParameter _outboxAttempts;
    private readonly SqliteCommand _outboxDone;
    private readonly SqliteParameter _outboxDoneKey;
    private bool _disposed;

    /// <summary>Opens the store in <paramref name="path"/>, creating the file if it does not exist (its folder must).</summary>
    /// <exception cref="JourneyStoreException">The file is refused (not a SQLite database, another application's, a newer
    /// schema, damaged, or in use by another store), or cannot be opened or migrated; the message names the file and why.</exception>
    public SqliteJourneyStore(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FilePath = Path.GetFullPath(path);
        if (File.Exists(FilePath + ".lock"))
        {
            AcquireLock(FilePath).Dispose(); // a file in use is refused as such before the lock-free inspection reads it
        }

        var version = SqliteSchema.Inspect(FilePath);
        _lockFile = AcquireLock(FilePath);
        try
        {
            _connection = new SqliteConnection(ConnectionString(FilePath, SqliteOpenMode.ReadWriteCreate));
            _connection.Open();
            var mode = Scalar("PRAGMA journal_mode = WAL");
            if (!"wal".Equals(mode as string, StringComparison.OrdinalIgnoreCase))
            {
                throw new JourneyStoreException(FilePath, $"the file system refused write-ahead logging (journal_mode is '{mode}').");
            }

            Scalar("PRAGMA synchronous = FULL");
            SqliteSchema.Migrate(_connection, FilePath, version);
            _upsert = _connection.CreateCommand();
            _upsert.CommandText = "INSERT INTO customers (id, snapshot) VALUES ($id, $snapshot) ON CONFLICT (id) DO UPDATE SET snapshot = excluded.snapshot";
            _id = _upsert.Parameters.Add("$id", SqliteType.Text);
            _snapshot = _upsert.Parameters.Add("$snapshot", SqliteType.Text);
            _upsert.Prepare();
            _outboxAdd = _connection.CreateCommand();
            // A key already there is updated in place, keeping its rowid: its place in the order (an attempt count saved).
            _outboxAdd.CommandText = "INSERT INTO outbox (key, message, attempts) VALUES ($key, $message, $attempts) " +
                                     "ON CONFLICT (key) DO UPDATE SET message = excluded.message, attempts = excluded.attempts";
            _outboxAddKey = _outboxAdd.Parameters.Add("$key", SqliteType.Text);
            _outboxMessage = _outboxAdd.Parameters.Add("$message", SqliteType.Text);
            _outboxAttempts = _outboxAdd.Parameters.Add("$attempts", SqliteType.Integer);
            _outboxAdd.Prepare();
            _outboxDone = _connection.CreateCommand();
            _outboxDone.CommandText = "DELETE FROM outbox WHERE key = $key";
            _outboxDoneKey = _outboxDone.Parameters.Add("$key", SqliteType.Text);
            _outboxDone.Prepare();
        }
        catch (Exception ex)
        {
            _connection?.Dispose();
            _lockFile.Dispose();
            if (ex is SqliteException sqlite)
            {
                throw new JourneyStoreException(FilePath, $"cannot be opened: {sqlite.Message}", sqlite);
            }

            throw;
        }
    }

    /// <summary>The database file, as a full path.</summary>
    public string FilePath { get; }

    /// <summary>How many customers are stored.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                return Convert.ToInt32(Scalar("SELECT count(*) FROM customers"), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }

    /// <summary>The stored snapshot of a customer, or null.</summary>
    /// <exception cref="JourneyStoreException">The row cannot be read.</exception>
    public CustomerSnapshot? Find(string customerId)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        return Read("SELECT id, snapshot FROM customers WHERE id = $id", customerId).SingleOrDefault();
    }

    /// <inheritdoc />
    /// <exception cref="JourneyStoreException">A row cannot be read: the file is damaged or a snapshot is not valid.</exception>
    public IEnumerable<CustomerSnapshot> LoadAll() => Read("SELECT id, snapshot FROM customers ORDER BY id", null);

    /// <inheritdoc />
    /// <exception cref="JourneyStoreException">An outbox row cannot be read: the file is damaged or a message is not valid.</exception>
    public IReadOnlyList<OutboundMessage> LoadOutbox()
    {
        var messages = new List<OutboundMessage>();
        foreach (var (key, json, attempts) in ReadRows("SELECT key, message, attempts FROM outbox ORDER BY rowid", null))
        {
            try
            {
                messages.Add(OutboxJson.Read(json) with { PreviousAttempts = attempts });
            }
            catch (FormatException ex)
            {
                throw new JourneyStoreException(FilePath, $"the outbox message '{key}' is not valid: {ex.Message}", ex);
            }
        }

        return messages;
    }

    /// <inheritdoc />
    /// <remarks>The whole batch — <paramref name="changed"/>, <paramref name="outboxAdded"/> and
    /// <paramref name="outboxDone"/> — is written in one transaction: on return all of it is on disk; on an exception
    /// none of it is.</remarks>
    /// <exception cref="JourneyStoreException">The write failed (disk full, I/O error); nothing of the batch was written.</exception>
    public void SaveChanges(IReadOnlyList<CustomerSnapshot> changed, IReadOnlyList<OutboundMessage>? outboxAdded = null,
        IReadOnlyList<string>? outboxDone = null)
    {
        ArgumentNullException.ThrowIfNull(changed);
        outboxAdded ??= [];
        outboxDone ??= [];
        if (changed.Count == 0 && outboxAdded.Count == 0 && outboxDone.Count == 0)
        {
            return;
        }

        var documents = new string[changed.Count]; // serialised outside the lock: partitions overlap here
        for (var i = 0; i < documents.Length; i++)
        {
            documents[i] = SnapshotJson.Write(changed[i]);
        }

        var messages = new string[outboxAdded.Count];
        for (var i = 0; i < messages.Length; i++)
        {
            messages[i] = OutboxJson.Write(outboxAdded[i]);
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                using var transaction = _connection.BeginTransaction();
                _upsert.Transaction = _outboxAdd.Transaction = _outboxDone.Transaction = transaction;
                for (var i = 0; i < documents.Length; i++)
                {
                    _id.Value = changed[i].Id;
                    _snapshot.Value = documents[i];
                    _upsert.ExecuteNonQuery();
                }

                foreach (var key in outboxDone)
                {
                    _outboxDoneKey.Value = key;
                    _outboxDone.ExecuteNonQuery();
                }

                for (var i = 0; i < messages.Length; i++)
                {
                    _outboxAddKey.Value = outboxAdded[i].IdempotencyKey;
                    _outboxMessage.Value = messages[i];
                    _outboxAttempts.Value = outboxAdded[i].PreviousAttempts;
                    _outboxAdd.ExecuteNonQuery();
                }

                transaction.Commit();
            }
            catch (SqliteException ex)
            {
                throw new JourneyStoreException(FilePath,
                    $"saving {changed.Count} customer(s) and {outboxAdded.Count + outboxDone.Count} outbox change(s) failed, none was saved: {ex.Message}", ex);
            }
            finally
            {
                _upsert.Transaction = _outboxAdd.Transaction = _outboxDone.Transaction = null;
            }
        }
    }

    /// <inheritdoc />
    /// <exception cref="JourneyStoreException">A row cannot be read.</exception>
    public IReadOnlyList<JourneyVersionSource> LoadJourneyVersions()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                using var command = _connection.CreateCommand();
                command.CommandText = "SELECT journey, version, source FROM journey_versions ORDER BY journey, version";
                using var reader = command.ExecuteReader();
                var versions = new List<JourneyVersionSource>();
                while (reader.Read())
                {
                    versions.Add(new JourneyVersionSource(reader.GetString(0), reader.GetInt32(1), reader.GetString(2)));
                }

                return versions;
            }
            catch (SqliteException ex)
            {
                throw new JourneyStoreException(FilePath, $"cannot be read ({ex.Message}); the file may be damaged: restore a backup.", ex);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>Replaces the table's rows in one transaction.</remarks>
    /// <exception cref="JourneyStoreException">The write failed; the stored versions are unchanged.</exception>
    public void SaveJourneyVersions(IReadOnlyList<JourneyVersionSource> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                using var transaction = _connection.BeginTransaction();
                using var command = _connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "DELETE FROM journey_versions";
                command.ExecuteNonQuery();
                command.CommandText = "INSERT INTO journey_versions (journey, version, source) VALUES ($journey, $version, $source)";
                var journey = command.Parameters.Add("$journey", SqliteType.Text);
                var version = command.Parameters.Add("$version", SqliteType.Integer);
                var source = command.Parameters.Add("$source", SqliteType.Text);
                foreach (var v in versions)
                {
                    (journey.Value, version.Value, source.Value) = (v.JourneyId, v.Version, v.Source);
                    command.ExecuteNonQuery();
                }

                transaction.Commit();
            }
            catch (SqliteException ex)
            {
                throw new JourneyStoreException(FilePath, $"saving {versions.Count} journey version(s) failed, none was saved: {ex.Message}", ex);
            }
        }
    }

    /// <summary>Writes a consistent copy of the database to <paramref name="path"/> (replacing that file's contents) with
    /// SQLite's online backup, while the engine keeps running: the copy holds every batch committed before the backup
    /// started, and writers are not blocked. A new store opens the copy like the original.</summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is the store's own file.</exception>
    /// <exception cref="JourneyStoreException">The backup failed; the message names the file.</exception>
    public void Backup(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var target = Path.GetFullPath(path);
        if (string.Equals(target, FilePath, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
        {
            throw new ArgumentException("A store cannot be backed up onto its own file; choose another path.", nameof(path));
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
        }

        try
        {
            // A second, read-only connection: in WAL mode it reads one consistent snapshot while the partitions write.
            using var source = new SqliteConnection(ConnectionString(FilePath, SqliteOpenMode.ReadOnly));
            using var destination = new SqliteConnection(ConnectionString(target, SqliteOpenMode.ReadWriteCreate));
            source.Open();
            destination.Open();
            source.BackupDatabase(destination);
        }
        catch (SqliteException ex)
        {
            throw new JourneyStoreException(target, $"the backup of '{FilePath}' failed: {ex.Message}", ex);
        }
    }

    /// <summary>Closes the file (checkpointing the write-ahead log into it) and releases the lock. Dispose the store after
    /// the engine using it has stopped.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _upsert.Dispose();
            _outboxAdd.Dispose();
            _outboxDone.Dispose();
            _connection.Dispose();
            _lockFile.Dispose();
        }
    }

    private List<CustomerSnapshot> Read(string sql, string? id)
    {
        var rows = ReadRows(sql, id);
        var snapshots = new List<CustomerSnapshot>(rows.Count);
        foreach (var (customerId, json, _) in rows)
        {
            try
            {
                snapshots.Add(SnapshotJson.Read(customerId, json));
            }
            catch (FormatException ex)
            {
                throw new JourneyStoreException(FilePath, $"the snapshot of customer '{customerId}' is not valid: {ex.Message}", ex);
            }
        }

        return snapshots;
    }

    /// <summary>Reads two text columns, and an optional third integer one (0 without it), under the lock; parsing
    /// happens outside it.</summary>
    private List<(string Id, string Json, int Number)> ReadRows(string sql, string? id)
    {
        var rows = new List<(string Id, string Json, int Number)>();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                using var command = _connection.CreateCommand();
                command.CommandText = sql;
                if (id is not null)
                {
                    command.Parameters.AddWithValue("$id", id);
                }

                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    rows.Add((reader.GetString(0), reader.GetString(1), reader.FieldCount > 2 ? reader.GetInt32(2) : 0));
                }
            }
            catch (SqliteException ex)
            {
                throw new JourneyStoreException(FilePath, $"cannot be read ({ex.Message}); the file may be damaged: restore a backup.", ex);
            }
        }

        return rows;
    }

    private object? Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static string ConnectionString(string path, SqliteOpenMode mode) =>
        new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ConnectionString;

    /// <summary>Two engines writing one file would each think they own every customer; the second store is refused.</summary>
    private static FileStream AcquireLock(string path)
    {
        var lockPath = path + ".lock";
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new JourneyStoreException(path,
                $"in use by another store (in this or another process), which holds '{lockPath}'; stop that engine and dispose its store first.", ex);
        }
    }
}
