namespace Journeys.Files;

/// <summary>What a path names, by what the file system says of the file, not by the text of the path. Whether two paths name one file, by what the file system says of the file, not by the text of the paths:
/// <c>out.jsonl</c>, <c>./out.jsonl</c>, a symbolic link to it and a hard link to it are all the same file. Tools use
/// it to refuse writing an output over one of their inputs.</summary>
public static class FileIdentity
{
    /// <summary>True when both paths exist and name the same file: on Linux the same device and inode (<c>statx</c>);
    /// elsewhere the same full path once symbolic links are resolved (a hard link is then not recognised).</summary>
    /// <param name="first">A path.</param>
    /// <param name="second">Another path.</param>
    /// <returns>Whether they are one file; false when either does not exist.</returns>
    public static bool SameFile(string first, string second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        return FileStatus.SameFile(first, second);
    }

    /// <summary>True when the path, links followed, is a regular file: not missing, not a folder, a device (such as
    /// <c>/dev/null</c>), a named pipe or a socket. Where the platform does not tell those apart, any file that is not a
    /// folder.</summary>
    /// <param name="path">A path.</param>
    /// <returns>Whether it names a regular file.</returns>
    public static bool IsRegularFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return FileStatus.Of(path).Kind is FileKind.Regular or FileKind.Unknown;
    }
}
