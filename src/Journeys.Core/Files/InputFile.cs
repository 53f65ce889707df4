using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Journeys.Diagnostics;

namespace Journeys.Files;

/// <summary>The one gate every file the engine reads goes through (journey files, <c>policy.yaml</c>, templates, rules,
/// the events file): it must be a regular file (a named pipe, a device such as <c>/dev/zero</c>, a socket or a loop of
/// symbolic links is refused before it is opened, so nothing hangs), and its size is counted while it is read (a file
/// that grows, or one whose size the system misreports, stops at the limit). Text is strict UTF-8.</summary>
internal static class InputFile
{
    private const int Chunk = 64 * 1024;

    /// <summary>A UTF-8 byte order mark, skipped at the start of a text file.</summary>
    internal static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>Opens <paramref name="path"/> to read when it is a regular file; else null, and
    /// <paramref name="problem"/> says why (<c>it is a named pipe (FIFO), not a regular file</c>, <c>no such file</c>).</summary>
    public static FileStream? Open(string path, out string problem)
    {
        problem = "";
        var facts = FileStatus.Of(path);
        if (facts.Problem is { } p)
        {
            problem = p;
            return null;
        }

        switch (facts.Kind)
        {
            case FileKind.Missing:
                problem = "no such file";
                return null;
            case FileKind.Regular or FileKind.Unknown:
                break;
            default:
                problem = $"it is {facts.KindText}, not a regular file";
                return null;
        }

        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = ex.Message;
            return null;
        }
    }

    /// <summary>Reads a whole file as strict UTF-8 text (a byte order mark is skipped), of at most
    /// <paramref name="maxBytes"/>. When it cannot, adds one error to <paramref name="diagnostics"/> and returns null:
    /// <see cref="DiagnosticCodes.Io"/> at 0:0 (not a regular file, unreadable), <see cref="DiagnosticCodes.TooLarge"/>
    /// at 1:1, or <see cref="DiagnosticCodes.Syntax"/> at the first byte that is not UTF-8.</summary>
    /// <param name="path">The file.</param>
    /// <param name="display">Its name in diagnostics.</param>
    /// <param name="maxBytes">The largest size accepted.</param>
    /// <param name="what">What the file is, for the size error: <c>a journey definition</c>.</param>
    /// <param name="diagnostics">Where the error goes.</param>
    public static string? ReadText(string path, string display, long maxBytes, string what, List<Diagnostic> diagnostics)
    {
        var bytes = ReadBytes(path, maxBytes, what, out var problem, out var tooLarge);
        if (bytes is null)
        {
            diagnostics.Add(tooLarge
                ? new Diagnostic(DiagnosticSeverity.Error, new SourceLocation(display, 1, 1), DiagnosticCodes.TooLarge, problem)
                : new Diagnostic(DiagnosticSeverity.Error, new SourceLocation(display, 0, 0), DiagnosticCodes.Io, "cannot read file: " + problem));
            return null;
        }

        ReadOnlySpan<byte> text = bytes;
        if (text.StartsWith(Bom))
        {
            text = text[Bom.Length..];
        }

        if (Decode(text, out var decoded) is { } invalid)
        {
            var before = text[..invalid];
            var lineStart = before.LastIndexOf((byte)'\n') + 1;
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error,
                new SourceLocation(display, 1 + before.Count((byte)'\n'), 1 + Encoding.UTF8.GetCharCount(before[lineStart..])),
                DiagnosticCodes.Syntax, "the file is not valid UTF-8 text"));
            return null;
        }

        return decoded;
    }

    /// <summary>The files of <paramref name="folder"/> whose names match <paramref name="pattern"/> (and of its sub-folders
    /// when <paramref name="recurse"/>), in ordinal order of their paths. Symbolic links to folders are followed, but each
    /// folder is read once (known by its device and inode), so a link back up the tree is no endless walk; a folder that
    /// cannot be read is an <see cref="DiagnosticCodes.Io"/> error, not an exception.</summary>
    public static List<string> Find(string folder, string pattern, bool recurse, Func<string, string> display, List<Diagnostic> diagnostics)
    {
        var found = new List<string>();
        var seen = new HashSet<(ulong Device, ulong Inode)>();
        var seenPaths = new HashSet<string>(StringComparer.Ordinal);
        var options = new EnumerationOptions { IgnoreInaccessible = false, AttributesToSkip = 0, MatchType = MatchType.Simple };
        var pending = new Stack<string>();
        pending.Push(folder);
        while (pending.TryPop(out var directory))
        {
            var facts = FileStatus.Of(directory);
            if (facts.HasIdentity ? !seen.Add((facts.Device, facts.Inode)) : !seenPaths.Add(FileStatus.Resolved(directory)))
            {
                continue;
            }

            try
            {
                found.AddRange(Directory.EnumerateFiles(directory, pattern, options));
                if (recurse)
                {
                    foreach (var sub in Directory.EnumerateDirectories(directory, "*", options).Order(StringComparer.Ordinal).Reverse())
                    {
                        pending.Push(sub);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, new SourceLocation(display(directory), 0, 0), DiagnosticCodes.Io,
                    "cannot read folder: " + ex.Message));
            }
        }

        found.Sort(StringComparer.Ordinal);
        return found;
    }

    /// <summary>Decodes strict UTF-8: the text, or (as the return value) the offset of the first invalid byte.</summary>
    public static int? Decode(ReadOnlySpan<byte> bytes, out string text)
    {
        var chars = bytes.Length <= 1024 ? stackalloc char[bytes.Length] : new char[bytes.Length];
        var status = Utf8.ToUtf16(bytes, chars, out var read, out var written, replaceInvalidSequences: false);
        if (status != System.Buffers.OperationStatus.Done)
        {
            text = "";
            return read;
        }

        text = new string(chars[..written]);
        return null;
    }

    /// <summary>Reads a whole regular file of at most <paramref name="maxBytes"/>, counting while reading; null with the
    /// problem otherwise.</summary>
    private static byte[]? ReadBytes(string path, long maxBytes, string what, out string problem, out bool tooLarge)
    {
        // A regular file the system already knows is too large is refused unopened (it may be held by another process);
        // one that grows, or whose size is misreported, is stopped below while it is read.
        var info = new FileInfo(path);
        var size = info.Exists ? info.Length : 0;
        tooLarge = size > maxBytes;
        if (tooLarge)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"file is too large to be {what} ({size:N0} bytes; the limit is {maxBytes:N0})");
            return null;
        }

        using var stream = Open(path, out problem);
        if (stream is null)
        {
            return null;
        }

        try
        {
            var buffer = new MemoryStream((int)Math.Min(Chunk, maxBytes + 1));
            var chunk = new byte[Chunk];
            int n;
            while ((n = stream.Read(chunk, 0, (int)Math.Min(Chunk, maxBytes + 1 - buffer.Length))) > 0)
            {
                buffer.Write(chunk, 0, n);
                if (buffer.Length > maxBytes)
                {
                    tooLarge = true;
                    problem = string.Create(CultureInfo.InvariantCulture, $"file is too large to be {what} (it grew past the limit of {maxBytes:N0} bytes while being read)");
                    return null;
                }
            }

            return buffer.ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = ex.Message;
            return null;
        }
    }
}
