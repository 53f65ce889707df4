using Journeys.Diagnostics;
using Journeys.Persistence;
using Journeys.Sqlite;
using Journeys.Tests.Support;

namespace Journeys.Tests.Persistence;

/// <summary>The SQLite store at paths with the characters a URI gives a meaning to: after a clean shutdown (no write-ahead
/// log left) the file is inspected through a <c>file:</c> URI, which must name that file and no other.</summary>
public sealed partial class SqliteJourneyStoreTests
{
    [Theory]
    [InlineData("a%41b.db")]
    [InlineData("100%.db")]
    [InlineData("a?b#c.db")]
    [InlineData("space and é.db")]
    [InlineData("%2e%2e.db")]
    public void Reopen_AfterACleanShutdown_AtAPathWithUriCharacters_ReadsTheSameFile(string name)
    {
        var path = _folder.File(name);
        using (var store = new SqliteJourneyStore(path))
        {
            store.SaveChanges([new CustomerSnapshot { Id = "c1" }]);
        }

        Assert.False(File.Exists(path + "-wal") && new FileInfo(path + "-wal").Length > 0, "a clean shutdown leaves no log to read");
        using var reopened = new SqliteJourneyStore(path);

        Assert.Equal(["c1"], reopened.LoadAll().Select(s => s.Id));
    }

    [Fact]
    public void Open_AStoreThatCannotBeWritten_SaysSoNotThatAnotherStoreHasIt()
    {
        var folder = _folder.File("readonly");
        Directory.CreateDirectory(folder);
        var root = Environment.UserName == "root";
        if (root && Run("mount", "-t", "tmpfs", "tmpfs", folder) != 0)
        {
            return; // no way to make a folder read-only for root here
        }

        try
        {
            var path = Path.Combine(folder, "journeys.db");
            using (var store = new SqliteJourneyStore(path))
            {
                store.SaveChanges([new CustomerSnapshot { Id = "c1" }]);
            }

            Assert.Equal(0, root ? Run("mount", "-o", "remount,ro", folder) : Run("chmod", "-R", "a-w", folder));

            var refused = Assert.Throws<JourneyStoreException>(() => new SqliteJourneyStore(path));

            Assert.Contains("cannot be written", refused.Message, StringComparison.Ordinal);
            Assert.Contains("read-only", refused.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("in use", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            _ = root ? Run("umount", folder) : Run("chmod", "-R", "u+w", folder);
        }
    }

    private static int Run(string program, params string[] args)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(program, args)
        {
            UseShellExecute = false, RedirectStandardError = true,
        })!;
        process.WaitForExit();
        return process.ExitCode;
    }

    [Fact]
    public void FileUri_EscapesEveryByteAUriCouldRead()
    {
        Assert.Equal("file:///tmp/a%2541b%20%C3%A9%3F%23.db", SqliteSchema.FileUri("/tmp/a%41b é?#.db"));
    }
}
