namespace Journeys.Files;

/// <summary>What <see cref="FileStatus.Of"/> learnt of a path (links followed): its kind, and on Linux its identity
/// (device and inode), which names the file whatever path, hard link or symbolic link reaches it.</summary>
/// <param name="Kind">What the path names.</param>
/// <param name="Device">The device the file is on (major and minor), when <paramref name="HasIdentity"/>.</param>
/// <param name="Inode">The file's inode on that device, when <paramref name="HasIdentity"/>.</param>
/// <param name="HasIdentity">True when the platform gave the device and inode.</param>
/// <param name="Problem">Why the path could not be examined (a loop of symbolic links, no permission), else null.</param>
internal readonly record struct FileFacts(FileKind Kind, ulong Device, ulong Inode, bool HasIdentity, string? Problem)
{
    /// <summary>The kind as an operator reads it in "it is ..., not a regular file".</summary>
    public string KindText => Kind switch
    {
        FileKind.Directory => "a folder",
        FileKind.Fifo => "a named pipe (FIFO)",
        FileKind.Device => "a device",
        FileKind.Socket => "a socket",
        FileKind.Missing => "missing",
        _ => "not a regular file",
    };
}
