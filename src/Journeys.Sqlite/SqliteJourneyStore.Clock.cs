using Journeys.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Journeys.Sqlite;

/// <summary>The engine's committed clock, in the <c>engine_clock</c> table (schema version 9): one row of UTC ticks.</summary>
public sealed partial class SqliteJourneyStore
{
    /// <inheritdoc />
    /// <exception cref="JourneyStoreException">The table cannot be read: the file is damaged.</exception>
    public ValueTask<DateTimeOffset?> LoadCommittedClockAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(ReadRows("SELECT ticks FROM engine_clock WHERE id = 1", reader => (DateTimeOffset?)new DateTimeOffset(reader.GetInt64(0), TimeSpan.Zero),
            cancellationToken).FirstOrDefault());

    /// <inheritdoc />
    /// <exception cref="JourneyStoreException">The write failed; the stored clock is unchanged.</exception>
    public ValueTask SaveCommittedClockAsync(DateTimeOffset clock, CancellationToken cancellationToken)
    {
        ReplaceRows("engine_clock", "INSERT INTO engine_clock (id, ticks) VALUES (1, $ticks)", [("$ticks", SqliteType.Integer)],
            [clock.UtcTicks], (ticks, p) => p[0].Value = ticks, "saving the committed clock", cancellationToken);
        return ValueTask.CompletedTask;
    }
}
