using Journeys.Diagnostics;
using Journeys.Persistence;
using Microsoft.Data.Sqlite;

namespace Journeys.Sqlite;

/// <summary>Operators' controls on one customer (<see cref="ICustomerControlStore"/>): a point read by primary key, and an
/// erase that leaves no copy of the customer's bytes in the file.</summary>
public sealed partial class SqliteJourneyStore
{
    /// <inheritdoc />
    /// <exception cref="JourneyStoreException">The row cannot be read.</exception>
    public ValueTask<CustomerRecord?> LoadCustomerAsync(string customerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Find(customerId));
    }

    /// <inheritdoc />
    /// <remarks>One transaction, with <c>secure_delete</c> on for it, so the deleted rows' bytes are overwritten with zeros
    /// in the database pages (and in pages moved to the free list); then the write-ahead log, which still holds the pages
    /// as they were, is checkpointed into the file and truncated. The store runs with <c>secure_delete = FAST</c> at all
    /// other times, so rows replaced or deleted earlier (older records of the customer folded out of <c>customer_log</c>, delivered outbox rows) were
    /// zeroed in their pages too; only content that spilled to overflow pages freed before may remain until the next
    /// <c>VACUUM</c> (docs/operations.md).</remarks>
    /// <exception cref="JourneyStoreException">The erase failed; nothing was erased.</exception>
    public ValueTask ForgetCustomerAsync(string customerId, IReadOnlyList<string> outboxKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        ArgumentNullException.ThrowIfNull(outboxKeys);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            cancellationToken.ThrowIfCancellationRequested();
            Scalar("PRAGMA secure_delete = ON");
            try
            {
                using (var transaction = _connection.BeginTransaction())
                {
                    using var command = _connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = "DELETE FROM customers WHERE id = $id; DELETE FROM customer_log WHERE id = $id";
                    command.Parameters.AddWithValue("$id", customerId);
                    command.ExecuteNonQuery();
                    command.CommandText = "DELETE FROM outbox WHERE key = $key";
                    command.Parameters.Clear();
                    var key = command.Parameters.Add("$key", SqliteType.Text);
                    foreach (var k in outboxKeys)
                    {
                        key.Value = k;
                        command.ExecuteNonQuery();
                    }

                    ForgetAliases(command, customerId);
                    transaction.Commit();
                }

                Scalar("PRAGMA wal_checkpoint(TRUNCATE)"); // the log's old page images hold the erased bytes
            }
            catch (SqliteException ex)
            {
                throw new JourneyStoreException(FilePath, $"erasing customer '{customerId}' failed, nothing was erased: {ex.Message}", ex);
            }
            finally
            {
                Scalar("PRAGMA secure_delete = FAST");
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Part of an erase: the aliases that name the customer, either side.</summary>
    private static void ForgetAliases(SqliteCommand command, string customerId)
    {
        command.Parameters.Clear();
        command.CommandText = "DELETE FROM customer_aliases WHERE alias = $id OR customer = $id";
        command.Parameters.AddWithValue("$id", customerId);
        command.ExecuteNonQuery();
    }

    /// <inheritdoc />
    /// <exception cref="JourneyStoreException">The table cannot be read.</exception>
    public ValueTask<IReadOnlyList<CustomerAlias>> LoadAliasesAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                using var command = _connection.CreateCommand();
                command.CommandText = "SELECT alias, customer FROM customer_aliases ORDER BY alias";
                using var reader = command.ExecuteReader();
                var aliases = new List<CustomerAlias>();
                while (reader.Read())
                {
                    aliases.Add(new CustomerAlias(reader.GetString(0), reader.GetString(1)));
                }

                return ValueTask.FromResult<IReadOnlyList<CustomerAlias>>(aliases);
            }
            catch (SqliteException ex)
            {
                throw new JourneyStoreException(FilePath, $"cannot be read ({ex.Message}); the file may be damaged: restore a backup.", ex);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>One transaction: the kept record, the merged record's removal and the aliases are on disk together or not at all.</remarks>
    /// <exception cref="JourneyStoreException">The write failed; nothing of the merge was written.</exception>
    public ValueTask MergeCustomersAsync(CustomerRecord kept, string mergedId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kept);
        ArgumentException.ThrowIfNullOrEmpty(mergedId);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                using var transaction = _connection.BeginTransaction();
                _append.Execute([kept], transaction);
                using var command = _connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "DELETE FROM customers WHERE id = $merged; DELETE FROM customer_log WHERE id = $merged;" +
                                      "UPDATE customer_aliases SET customer = $kept WHERE customer = $merged;" +
                                      "DELETE FROM customer_aliases WHERE alias = $kept;" +
                                      "INSERT INTO customer_aliases (alias, customer) VALUES ($merged, $kept) " +
                                      "ON CONFLICT (alias) DO UPDATE SET customer = excluded.customer";
                command.Parameters.AddWithValue("$merged", mergedId);
                command.Parameters.AddWithValue("$kept", kept.Id);
                command.ExecuteNonQuery();
                transaction.Commit();
                _logRows++;
            }
            catch (SqliteException ex)
            {
                throw new JourneyStoreException(FilePath, $"merging customer '{mergedId}' into '{kept.Id}' failed, nothing was written: {ex.Message}", ex);
            }
        }

        return ValueTask.CompletedTask;
    }
}
