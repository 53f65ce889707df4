using System.Runtime.CompilerServices;
using Journeys.Diagnostics;
using Journeys.Language.Loading;
using Journeys.Persistence;
using Microsoft.Data.Sqlite;

namespace Journeys.Sqlite;

/// <summary>Keeps every customer's record, the delivery outbox and the journey versions in a SQLite file, so an engine restarted on the same file — after a clean
/// stop or a crash — resumes where the last one left off. See docs/operations.md for the durability promise, recovery,
/// backups and the file format.
/// <para>Records are kept as the engine hands them over: id (or key), format version and payload bytes, in columns of
/// their own; the store never reads a payload.</para>
/// <para>Durability: the file is in WAL mode with <c>synchronous=FULL</c>, and each <see cref="SaveChangesAsync"/> call (one
/// partition's batch) is one transaction, so a batch costs one fsync and is on disk — surviving a process kill, an OS
/// crash or a power cut — when the call returns. <c>NORMAL</c> would skip that fsync and could lose the last batches on
/// power loss; group commit already spreads the fsync over the batch, so the stronger setting is kept.</para>
/// <para>Threading: partition workers call <see cref="SaveChangesAsync"/> concurrently (having encoded their records in
/// parallel); batches are written one transaction at a time through a single connection (SQLite has one writer anyway).
/// Every call runs synchronously and returns a completed task: Microsoft.Data.Sqlite's own async methods do the same,
/// and a save is one fsync the worker waits for either way.</para>
/// <para>At start the file is inspected before anything writes to it: a file that is not a SQLite database, another
/// application's database, or one written by a newer schema version is refused with a
/// <see cref="JourneyStoreException"/> and left untouched. Older schema versions are migrated, one versioned step at a
/// time. One store at a time may open a file (a lock file, <c>&lt;file&gt;.lock</c>, is held while it is open).</para></summary>
/// <example><code>
/// using var store = new SqliteJourneyStore("state/journeys.db");
/// await using var engine = await new JourneyEngineBuilder().LoadFolder("journeys").UseStore(store).Build().StartAsync();
/// </code></example>
public sealed partial class SqliteJourneyStore : ICustomerControlStore, IDisposable
{
    private readonly Lock _gate = new();
    private readonly FileStream _lockFile;
    private readonly SqliteConnection _connection;
    private readonly SqliteRowBatch<CustomerRecord> _append;
    private readonly SqliteRowBatch<OutboxRecord> _outboxAdd;
    private readonly SqliteRowBatch<string> _outboxDone;
    private bool _disposed;
    private long _logRows; // rows in customer_log (at most: an erase may have removed some)

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
            Scalar("PRAGMA secure_delete = FAST"); // deleted and replaced rows are zeroed in their pages at no extra I/O (ForgetCustomerAsync)
            SqliteSchema.Migrate(_connection, FilePath, version);
            Scalar($"PRAGMA cache_size = -{CacheKibibytes}");
            _logRows = Convert.ToInt64(Scalar("SELECT count(*) FROM customer_log"), System.Globalization.CultureInfo.InvariantCulture);
            _append = new SqliteRowBatch<CustomerRecord>(_connection, rows => $"INSERT OR FAIL INTO customer_log (id, version, data) VALUES {rows}",
                [("$id", SqliteType.Text), ("$version", SqliteType.Integer), ("$data", SqliteType.Blob)],
                (record, p, at) => (p[at].Value, p[at + 1].Value, p[at + 2].Value) = (record.Id, record.Version, Bytes(record.Data)));
            // A key already there is updated in place, keeping its rowid: its place in the order (an attempt count saved).
            _outboxAdd = new SqliteRowBatch<OutboxRecord>(_connection,
                rows => $"INSERT OR FAIL INTO outbox (key, version, data) VALUES {rows} ON CONFLICT (key) DO UPDATE SET version = excluded.version, data = excluded.data",
                [("$key", SqliteType.Text), ("$version", SqliteType.Integer), ("$data", SqliteType.Blob)],
                (record, p, at) => (p[at].Value, p[at + 1].Value, p[at + 2].Value) = (record.Key, record.Version, Bytes(record.Data)));
            _outboxDone = new SqliteRowBatch<string>(_connection, rows => $"DELETE FROM outbox WHERE key IN ({rows})", [("$key", SqliteType.Text)],
                (key, p, at) => p[at].Value = key);
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

    /// <summary>SQLite's page cache for this store's connection, at most (<c>PRAGMA cache_size</c>; SQLite's default is
    /// 2 MiB): a log fold and a large batch then find their pages in memory instead of spilling dirty pages to the
    /// write-ahead log before commit and reading them back.</summary>
    internal const int CacheKibibytes = 64 * 1024;

    /// <summary>How many rows <c>customer_log</c> may reach before the save that reaches it folds the log into
    /// <c>customers</c> (each id's latest row replaces its row there, then the log is emptied), in that save's
    /// transaction. Until then each batch's customers are appended: sequential pages, whatever customers changed, where
    /// replacing their rows in place dirties a page of the table per customer. A fold writes each customer once however
    /// often it changed since, so it never writes more than replacing in place would have; it costs that one save more
    /// (a fold of 32,768 rows writes at most 32,768 rows' pages). Settable for tests.</summary>
    internal int CompactLogRows { get; init; } = 32_768;

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
                return Convert.ToInt32(Scalar("SELECT count(*) FROM customer_records"), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }

    /// <summary>The stored record of a customer, or null.</summary>
    /// <param name="customerId">The customer's id.</param>
    /// <returns>The record as last saved.</returns>
    /// <exception cref="JourneyStoreException">The row cannot be read.</exception>
    public CustomerRecord? Find(string customerId)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        // The log's latest row of the id (seq is 1 or more) wins over the table's.
        return ReadRows("SELECT id, version, data FROM (SELECT id, version, data, seq FROM customer_log WHERE id = $id " +
                        "UNION ALL SELECT id, version, data, 0 FROM customers WHERE id = $id) ORDER BY seq DESC LIMIT 1", customerId).Select(r => new CustomerRecord(r.Key, r.Version, r.Data))
            .SingleOrDefault();
    }

    /// <inheritdoc />
    /// <exception cref="JourneyStoreException">The file cannot be read: it is damaged.</exception>
    public async IAsyncEnumerable<CustomerRecord> LoadCustomersAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var (id, version, data) in ReadRows("SELECT id, version, data FROM customer_records ORDER BY id", null))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new CustomerRecord(id, version, data);
        }

        await Task.CompletedTask.ConfigureAwait(false); // read under the lock at once: nothing is awaited
    }

    /// <inheritdoc />
    /// <exception cref="JourneyStoreException">The file cannot be read: it is damaged.</exception>
    public ValueTask<IReadOnlyList<OutboxRecord>> LoadOutboxAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IReadOnlyList<OutboxRecord>>(
            ReadRows("SELECT key, version, data FROM outbox ORDER BY rowid", null).Select(r => new OutboxRecord(r.Key, r.Version, r.Data)).ToList());
    }

    /// <inheritdoc />
    /// <remarks>The whole batch — <paramref name="customers"/>, <paramref name="outboxAdded"/> and
    /// <paramref name="outboxDone"/> — is written in one transaction: on return all of it is on disk; on an exception
    /// none of it is. The customers are appended to <c>customer_log</c>, 32 rows a statement; the outbox rows are
    /// removed and added 32 a statement (docs/operations.md, "How a batch is written").</remarks>
    /// <exception cref="JourneyStoreException">The write failed (disk full, I/O error); nothing of the batch was written.</exception>
    public ValueTask SaveChangesAsync(IReadOnlyList<CustomerRecord> customers, IReadOnlyList<OutboxRecord> outboxAdded, IReadOnlyList<string> outboxDone,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(outboxAdded);
        ArgumentNullException.ThrowIfNull(outboxDone);
        cancellationToken.ThrowIfCancellationRequested();
        if (customers.Count == 0 && outboxAdded.Count == 0 && outboxDone.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            cancellationToken.ThrowIfCancellationRequested(); // the last moment nothing is written yet
            try
            {
                using var transaction = _connection.BeginTransaction();
                _append.Execute(customers, transaction);
                var logRows = _logRows + customers.Count;
                if (logRows >= CompactLogRows)
                {
                    CompactLog(transaction);
                    logRows = 0;
                }

                _outboxDone.Execute(outboxDone, transaction);
                _outboxAdd.Execute(outboxAdded, transaction);
                transaction.Commit();
                _logRows = logRows;
            }
            catch (SqliteException ex)
            {
                throw new JourneyStoreException(FilePath,
                    $"saving {customers.Count} customer(s) and {outboxAdded.Count + outboxDone.Count} outbox change(s) failed, none was saved: {ex.Message}", ex);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Folds <c>customer_log</c> into <c>customers</c> in <paramref name="transaction"/>: each id's latest row
    /// replaces (or adds) its row there, then the log is emptied (its rows zeroed in their pages: <c>secure_delete</c>).</summary>
    private void CompactLog(SqliteTransaction transaction)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            "INSERT OR FAIL INTO customers (id, version, data) SELECT id, version, data FROM customer_log WHERE seq IN (SELECT max(seq) FROM customer_log GROUP BY id) " +
            "ON CONFLICT (id) DO UPDATE SET version = excluded.version, data = excluded.data;" +
            "DELETE FROM customer_log";
        command.ExecuteNonQuery();
    }

    /// <summary>The payload as Microsoft.Data.Sqlite binds a BLOB: a byte array (the record's own when it is one).</summary>
    private static byte[] Bytes(ReadOnlyMemory<byte> data) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(data, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : data.ToArray();

    /// <inheritdoc />
    /// <exception cref="JourneyStoreException">A row cannot be read.</exception>
    public ValueTask<IReadOnlyList<JourneyVersionSource>> LoadJourneyVersionsAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<JourneyVersionSource>>(ReadRows("SELECT journey, version, source FROM journey_versions ORDER BY journey, version",
            reader => new JourneyVersionSource(reader.GetString(0), reader.GetInt32(1), reader.GetString(2)), cancellationToken));

    /// <inheritdoc />
    /// <remarks>Replaces the table's rows in one transaction.</remarks>
    /// <exception cref="JourneyStoreException">The write failed; the stored versions are unchanged.</exception>
    public ValueTask SaveJourneyVersionsAsync(IReadOnlyList<JourneyVersionSource> versions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(versions);
        ReplaceRows("journey_versions", "INSERT INTO journey_versions (journey, version, source) VALUES ($journey, $version, $source)",
            [("$journey", SqliteType.Text), ("$version", SqliteType.Integer), ("$source", SqliteType.Text)], versions,
            (v, p) => (p[0].Value, p[1].Value, p[2].Value) = (v.JourneyId, v.Version, v.Source),
            $"saving {versions.Count} journey version(s)", cancellationToken);
        return ValueTask.CompletedTask;
    }

    /// <summary>Every row a query gives, read under the store's lock; a failure to read is the file's damage.</summary>
    private List<T> ReadRows<T>(string query, Func<SqliteDataReader, T> row, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                using var command = _connection.CreateCommand();
                command.CommandText = query;
                using var reader = command.ExecuteReader();
                var rows = new List<T>();
                while (reader.Read())
                {
                    rows.Add(row(reader));
                }

                return rows;
            }
            catch (SqliteException ex)
            {
                throw new JourneyStoreException(FilePath, $"cannot be read ({ex.Message}); the file may be damaged: restore a backup.", ex);
            }
        }
    }

    /// <summary>Replaces every row of <paramref name="table"/> with <paramref name="rows"/> in one transaction: each row
    /// inserted by <paramref name="insert"/> with its <paramref name="parameters"/> set by <paramref name="bind"/>. On
    /// failure nothing changed and the message says what (<paramref name="what"/>) failed.</summary>
    private void ReplaceRows<T>(string table, string insert, (string Name, SqliteType Type)[] parameters, IReadOnlyList<T> rows,
        Action<T, SqliteParameter[]> bind, string what, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                using var transaction = _connection.BeginTransaction();
                using var command = _connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = $"DELETE FROM {table}";
                command.ExecuteNonQuery();
                command.CommandText = insert;
                var bound = parameters.Select(p => command.Parameters.Add(p.Name, p.Type)).ToArray();
                foreach (var row in rows)
                {
                    bind(row, bound);
                    command.ExecuteNonQuery();
                }

                transaction.Commit();
            }
            catch (SqliteException ex)
            {
                throw new JourneyStoreException(FilePath, $"{what} failed, none was saved: {ex.Message}", ex);
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
            _append.Dispose();
            _outboxAdd.Dispose();
            _outboxDone.Dispose();
            _connection.Dispose();
            _lockFile.Dispose();
        }
    }

    /// <summary>Reads (key, version, data) rows under the lock.</summary>
    private List<(string Key, int Version, byte[] Data)> ReadRows(string sql, string? id)
    {
        var rows = new List<(string Key, int Version, byte[] Data)>();
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
                    rows.Add((reader.GetString(0), reader.GetInt32(1), (byte[])reader.GetValue(2)));
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
        catch (IOException ex) when (IsLockHeld(ex))
        {
            throw new JourneyStoreException(path,
                $"in use by another store (in this or another process), which holds '{lockPath}'; stop that engine and dispose its store first.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not a lock held elsewhere: the file or its folder cannot be written (read-only, no permission, a full disk).
            throw new JourneyStoreException(path,
                $"cannot be written: creating or opening '{lockPath}' to write failed ({ex.Message}). The store writes its file and a lock beside it: is the file, its folder or the file system read-only?", ex);
        }
    }

    /// <summary>True when opening failed because another handle holds the lock: a sharing or lock violation on Windows,
    /// <c>EWOULDBLOCK</c> from <c>flock</c> on Unix (.NET reports the errno as the HResult), not any other I/O error.</summary>
    private static bool IsLockHeld(IOException ex) => ex.HResult switch
    {
        unchecked((int)0x80070020) or unchecked((int)0x80070021) => true, // ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
        11 => OperatingSystem.IsLinux(),                                   // EWOULDBLOCK (EAGAIN) on Linux
        35 => OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD(),    // EWOULDBLOCK on the BSDs
        _ => false,
    };
}
