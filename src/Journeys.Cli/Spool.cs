using System.Text;

namespace Journeys.Cli;

/// <summary>Bytes held back until it is known they may be written: the first <c>memory</c> bytes in memory (64 KB
/// blocks), the rest in a temporary file (deleted when the spool is disposed). Written once, front to back, then
/// copied out whole with <see cref="WriteTo(Stream)"/> or <see cref="WriteTo(TextWriter)"/>. What simulate writes to
/// stdout or a device, where nothing can be taken back, while the one read of the events file still checks it.</summary>
internal sealed class Spool : Stream
{
    /// <summary>How much a spool holds in memory by default before it goes on in a temporary file.</summary>
    public const long DefaultMemory = 16L * 1024 * 1024;

    private const int Block = 64 * 1024;

    private readonly long _memory;
    private readonly string _folder;
    private readonly List<byte[]> _blocks = [];
    private int _used = Block; // bytes used in the last block: none yet, so the first write starts one
    private long _held;
    private FileStream? _file;

    /// <summary>A spool holding up to <paramref name="memory"/> bytes in memory, the rest in a temporary file in
    /// <paramref name="folder"/> (the system's temporary folder when null).</summary>
    public Spool(long memory = DefaultMemory, string? folder = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(memory);
        _memory = memory;
        _folder = folder ?? Path.GetTempPath();
    }

    /// <summary>Whether the spool went on in a temporary file (it held more than its memory).</summary>
    public bool Spilled => _file is not null;

    /// <inheritdoc/>
    public override bool CanRead => false;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => true;

    /// <inheritdoc/>
    public override long Length => _held + (_file?.Length ?? 0);

    /// <inheritdoc/>
    public override long Position
    {
        get => Length;
        set => throw new NotSupportedException();
    }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            if (_file is not null)
            {
                _file.Write(buffer);
                return;
            }

            if (_used == Block)
            {
                if (_held + Block > _memory)
                {
                    _file = new FileStream(Path.Combine(_folder, $"journeys-spool-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew,
                        FileAccess.ReadWrite, FileShare.None, Block, FileOptions.DeleteOnClose | FileOptions.SequentialScan);
                    continue;
                }

                _blocks.Add(new byte[Block]);
                _used = 0;
            }

            var part = Math.Min(buffer.Length, Block - _used);
            buffer[..part].CopyTo(_blocks[^1].AsSpan(_used));
            _used += part;
            _held += part;
            buffer = buffer[part..];
        }
    }

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <summary>Writes everything spooled to <paramref name="destination"/>, in the order it was written, and flushes it.</summary>
    public void WriteTo(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        foreach (var (block, length) in Blocks())
        {
            destination.Write(block, 0, length);
        }

        destination.Flush();
    }

    /// <summary>Writes everything spooled, UTF-8, to <paramref name="text"/>: to the process's standard output stream
    /// itself when it is <see cref="Console.Out"/>, else decoded (a character split between blocks is decoded whole).</summary>
    public void WriteTo(TextWriter text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (ReferenceEquals(text, Console.Out))
        {
            using var stdout = Console.OpenStandardOutput();
            WriteTo(stdout);
            return;
        }

        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        var chars = new char[Block + 1];
        foreach (var (block, length) in Blocks())
        {
            var count = decoder.GetChars(block, 0, length, chars, 0, flush: false);
            text.Write(chars, 0, count);
        }

        text.Write(chars, 0, decoder.GetChars([], 0, 0, chars, 0, flush: true));
        text.Flush();
    }

    private IEnumerable<(byte[] Block, int Length)> Blocks()
    {
        for (var i = 0; i < _blocks.Count; i++)
        {
            yield return (_blocks[i], i == _blocks.Count - 1 ? _used : Block);
        }

        if (_file is null)
        {
            yield break;
        }

        _file.Flush();
        _file.Position = 0;
        var buffer = new byte[Block];
        int read;
        while ((read = _file.Read(buffer, 0, Block)) > 0)
        {
            yield return (buffer, read);
        }
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file?.Dispose(); // deletes the temporary file
            _file = null;
            _blocks.Clear();
        }

        base.Dispose(disposing);
    }
}
