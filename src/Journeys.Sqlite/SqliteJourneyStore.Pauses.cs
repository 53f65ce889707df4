using Journeys.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Journeys.Sqlite;

/// <summary>The paused journeys, in the <c>paused_journeys</c> table (schema version 6).</summary>
public sealed partial class SqliteJourneyStore
{
    /// <inheritdoc />
    /// <exception cref="JourneyStoreException">The table cannot be read: the file is damaged.</exception>
    public ValueTask<IReadOnlyList<string>> LoadPausedJourneysAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                using var command = _connection.CreateCommand();
                command.CommandText = "SELECT journey FROM paused_journeys ORDER BY journey";
                using var reader = command.ExecuteReader();
                var ids = new List<string>();
                while (reader.Read())
                {
                    ids.Add(reader.GetString(0));
                }

                return ValueTask.FromResult<IReadOnlyList<string>>(ids);
            }
            catch (SqliteException ex)
            {
                throw new JourneyStoreException(FilePath, $"cannot be read ({ex.Message}); the file may be damaged: restore a backup.", ex);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>Replaces the table's rows in one transaction.</remarks>
    /// <exception cref="JourneyStoreException">The write failed; the stored ids are unchanged.</exception>
    public ValueTask SavePausedJourneysAsync(IReadOnlyList<string> journeyIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journeyIds);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                using var transaction = _connection.BeginTransaction();
                using var command = _connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "DELETE FROM paused_journeys";
                command.ExecuteNonQuery();
                command.CommandText = "INSERT OR IGNORE INTO paused_journeys (journey) VALUES ($journey)";
                var journey = command.Parameters.Add("$journey", SqliteType.Text);
                foreach (var id in journeyIds)
                {
                    journey.Value = id;
                    command.ExecuteNonQuery();
                }

                transaction.Commit();
            }
            catch (SqliteException ex)
            {
                throw new JourneyStoreException(FilePath, $"saving {journeyIds.Count} paused journey id(s) failed, none was saved: {ex.Message}", ex);
            }
        }

        return ValueTask.CompletedTask;
    }
}
