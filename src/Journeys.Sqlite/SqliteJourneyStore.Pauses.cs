using Journeys.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Journeys.Sqlite;

/// <summary>The paused journeys, in the <c>paused_journeys</c> table (schema version 6).</summary>
public sealed partial class SqliteJourneyStore
{
    /// <inheritdoc />
    /// <exception cref="JourneyStoreException">The table cannot be read: the file is damaged.</exception>
    public ValueTask<IReadOnlyList<string>> LoadPausedJourneysAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<string>>(ReadRows("SELECT journey FROM paused_journeys ORDER BY journey", reader => reader.GetString(0),
            cancellationToken));

    /// <inheritdoc />
    /// <remarks>Replaces the table's rows in one transaction.</remarks>
    /// <exception cref="JourneyStoreException">The write failed; the stored ids are unchanged.</exception>
    public ValueTask SavePausedJourneysAsync(IReadOnlyList<string> journeyIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journeyIds);
        ReplaceRows("paused_journeys", "INSERT OR IGNORE INTO paused_journeys (journey) VALUES ($journey)", [("$journey", SqliteType.Text)],
            journeyIds, (id, p) => p[0].Value = id, $"saving {journeyIds.Count} paused journey id(s)", cancellationToken);
        return ValueTask.CompletedTask;
    }
}
