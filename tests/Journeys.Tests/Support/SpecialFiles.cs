using System.Diagnostics;

namespace Journeys.Tests.Support;

/// <summary>Makes the files an attacker would put where the engine reads: named pipes, links to devices, loops of
/// symbolic links, files the process may not open (Linux only; the tests that use them run there).</summary>
internal static class SpecialFiles
{
    /// <summary>Creates a named pipe (nobody ever writes to it: opening it to read would wait for ever).</summary>
    public static string Fifo(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }

    public static string Link(string path, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.CreateSymbolicLink(path, target);
        return path;
    }

    /// <summary>Two links pointing at each other; <paramref name="path"/> is one of them.</summary>
    public static string Loop(string path)
    {
        Link(path, path + ".other");
        Link(path + ".other", path);
        return path;
    }

    /// <summary>A path whose opening fails with "access denied": a file with no permissions when the tests run as a user;
    /// as root, a link to another process's environment, which needs a capability containers do not grant. Null when
    /// neither is unreadable here (the caller's test then has nothing to prove).</summary>
    public static string? Unreadable(string path)
    {
        if (!OperatingSystem.IsWindows() && Environment.UserName != "root")
        {
            File.WriteAllText(path, "x");
            File.SetUnixFileMode(path, UnixFileMode.None);
            return path;
        }

        try
        {
            using var _ = File.OpenRead("/proc/1/environ");
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return Link(path, "/proc/1/environ");
        }
    }
}
