namespace Journeys.Files;

/// <summary>What a path names once symbolic links are followed.</summary>
internal enum FileKind
{
    /// <summary>Nothing is there (or a link points nowhere).</summary>
    Missing,

    /// <summary>A regular file: the only kind the engine reads.</summary>
    Regular,

    /// <summary>A folder.</summary>
    Directory,

    /// <summary>A named pipe: opening it to read waits for a writer.</summary>
    Fifo,

    /// <summary>A character or block device (<c>/dev/zero</c>, <c>/dev/random</c>): it may never end.</summary>
    Device,

    /// <summary>A Unix socket.</summary>
    Socket,

    /// <summary>Something the platform did not say (no <c>statx</c>): the size bound while reading still holds.</summary>
    Unknown,
}
