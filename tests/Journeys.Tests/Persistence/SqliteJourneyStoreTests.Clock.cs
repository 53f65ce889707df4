using Journeys.Sqlite;
using Journeys.Tests.Support;

namespace Journeys.Tests.Persistence;

/// <summary>The committed clock in a SQLite file (schema version 9), and a version 8 file, which has none, migrated.</summary>
public sealed partial class SqliteJourneyStoreTests
{
    [Fact]
    public async Task Open_VersionEightFile_MigratedWithNoCommittedClock_ThenKeepsTheOneSaved()
    {
        // A file as schema version 8 wrote it: today's layout without engine_clock (made by this build, then taken back).
        using (var store = new SqliteJourneyStore(DbPath))
        {
            store.SaveChanges([Full("c1")]);
        }

        using (var connection = Open(DbPath))
        {
            Execute(connection, "DROP TABLE engine_clock; PRAGMA user_version = 8;");
        }

        var clock = new DateTimeOffset(2026, 1, 5, 16, 0, 0, TimeSpan.Zero);
        using (var store = new SqliteJourneyStore(DbPath))
        {
            Assert.Equal("c1", Assert.Single(store.LoadAll()).Id);
            Assert.Null(await store.LoadCommittedClockAsync(CancellationToken.None)); // the first start on it makes nothing up
            await store.SaveCommittedClockAsync(clock, CancellationToken.None);
        }

        using (var reopened = new SqliteJourneyStore(DbPath))
        {
            Assert.Equal(clock, await reopened.LoadCommittedClockAsync(CancellationToken.None));
        }

        using var migrated = Open(DbPath);
        Assert.Equal(9L, Scalar(migrated, "PRAGMA user_version"));
        Assert.Equal(1L, Scalar(migrated, "SELECT count(*) FROM engine_clock"));
    }
}
