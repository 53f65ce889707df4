using System.Text;
using Journeys.Files;

namespace Journeys.Cli;

/// <summary>An output file written whole or not at all: into a temporary file beside it, renamed over it once complete, so
/// a full disk or a crash leaves the old file (or none), never a truncated one. A path that names a device or a pipe
/// (<c>/dev/stdout</c>, <c>/dev/null</c>) is written directly: there is nothing to replace.</summary>
internal static class OutputFile
{
    /// <summary>Why <paramref name="path"/> cannot be the output (null when it can): a folder, or the same file — by
    /// identity, not by the text of the path — as one of <paramref name="inputs"/>.</summary>
    /// <param name="option">The option that named the output, as the message shows it: <c>--out</c>.</param>
    /// <param name="path">The output file.</param>
    /// <param name="inputs">The files the run reads, each with what it is (<c>the events file</c>).</param>
    /// <param name="content">What would be written, as the message says it: <c>the decisions</c>.</param>
    public static string? Refusal(string option, string path, IEnumerable<(string Path, string What)> inputs, string content)
    {
        if (Directory.Exists(path))
        {
            return $"{option} '{path}' is a folder: give the file to write to";
        }

        foreach (var (input, what) in inputs)
        {
            if (FileIdentity.SameFile(path, input))
            {
                return $"{option} '{path}' is {what}: writing {content} would overwrite it";
            }
        }

        return null;
    }

    /// <summary>The files a run reads from the journey folder (its journeys, policy, rules and templates), to compare an
    /// output with. Links are listed (a link to the output counts); walking stops at a few levels, so a loop of links is
    /// no endless walk.</summary>
    public static IEnumerable<(string Path, string What)> FolderFiles(string folder) =>
        !Directory.Exists(folder)
            ? []
            : Directory.EnumerateFiles(folder, "*", new EnumerationOptions
            {
                RecurseSubdirectories = true, MaxRecursionDepth = 8, IgnoreInaccessible = true, AttributesToSkip = 0,
            }).Select(f => (f, $"'{Path.GetRelativePath(folder, f)}' of the journey folder"));

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/> (UTF-8, no BOM, <c>\n</c> lines): into a
    /// temporary file in the same folder, flushed to disk and renamed over <paramref name="path"/>; on any failure the
    /// temporary file is removed and the exception passed on.</summary>
    public static void Write(string path, Action<TextWriter> write) => WriteStream(path, stream =>
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        write(writer);
        writer.Flush();
    });

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/> as bytes, in the same way as
    /// <see cref="Write"/>: into a temporary file renamed over <paramref name="path"/> once complete (a device or a pipe
    /// directly).</summary>
    public static void WriteStream(string path, Action<Stream> write) => TryWriteStream(path, stream =>
    {
        write(stream);
        return true;
    });

    /// <summary>Whether <see cref="TryWriteStream"/> writes <paramref name="path"/> whole (a temporary file renamed once
    /// complete), so that what was written can still be dropped: false for a device or a pipe, written directly.</summary>
    public static bool WritesWhole(string path) => !(File.Exists(path) && !FileIdentity.IsRegularFile(path));

    /// <summary>As <see cref="WriteStream"/>, but <paramref name="write"/> may decide, having written, that what it wrote
    /// must not stand: when it returns false the temporary file is removed and <paramref name="path"/> is left as it was
    /// (for a path that is not <see cref="WritesWhole"/>, written directly, nothing can be taken back).</summary>
    /// <returns>What <paramref name="write"/> returned.</returns>
    public static bool TryWriteStream(string path, Func<Stream, bool> write)
    {
        if (!WritesWhole(path))
        {
            using var direct = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1 << 16);
            return write(direct);
        }

        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"cannot write '{path}': folder '{folder}' does not exist");
        }

        var temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        var kept = false;
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                if (!write(stream))
                {
                    return false; // the temporary file is removed below
                }

                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
            kept = true;
            return true;
        }
        finally
        {
            if (!kept)
            {
                try
                {
                    File.Delete(temporary);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Left behind, named as a temporary file; the error being reported matters more.
                }
            }
        }
    }
}
