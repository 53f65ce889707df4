namespace Journeys.Interchange;

/// <summary>Splits a stream into lines of bytes (ended by <c>\n</c>, a <c>\r</c> before it dropped, a leading UTF-8 byte
/// order mark skipped) without ever holding more than <c>max</c> bytes of one: the rest of a longer line is read past
/// and dropped, so a 200 MB line costs one read buffer, not 200 MB.</summary>
internal sealed class Utf8LineReader(Stream stream, int max)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private byte[] _line = new byte[4 * 1024];
    private int _start;
    private int _end;
    private int _length;
    private bool _eof;

    /// <summary>The 1-based number of the line <see cref="Next"/> gave last.</summary>
    public int Number { get; private set; }

    /// <summary>Reads the next line; false at the end of the stream. <paramref name="tooLong"/> is true when the line was
    /// longer than <c>max</c> bytes (then <paramref name="line"/> is empty).</summary>
    public bool Next(out ReadOnlySpan<byte> line, out bool tooLong)
    {
        _length = 0;
        tooLong = false;
        var any = false;
        while (true)
        {
            if (_start == _end)
            {
                if (_eof || (_end = stream.Read(_buffer, 0, _buffer.Length)) == 0)
                {
                    _eof = true;
                    _start = _end = 0;
                    break;
                }

                _start = 0;
            }

            any = true;
            var span = _buffer.AsSpan(_start, _end - _start);
            var newline = span.IndexOf((byte)'\n');
            var part = newline < 0 ? span : span[..newline];
            _start += newline < 0 ? span.Length : newline + 1;
            if (!tooLong)
            {
                // One byte over the limit is kept: it may be the '\r' of a "\r\n".
                if ((long)_length + part.Length > (long)max + 1)
                {
                    tooLong = true;
                }
                else
                {
                    Append(part);
                }
            }

            if (newline >= 0)
            {
                break;
            }
        }

        if (!any)
        {
            line = default;
            return false;
        }

        Number++;
        var length = _length > 0 && _line[_length - 1] == (byte)'\r' ? _length - 1 : _length;
        var start = Number == 1 && _line.AsSpan(0, length).StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        tooLong |= length - start > max;
        line = tooLong ? default : _line.AsSpan(start, length - start);
        return true;
    }

    private void Append(ReadOnlySpan<byte> part)
    {
        if (_length + part.Length > _line.Length)
        {
            Array.Resize(ref _line, Math.Max(_line.Length * 2, _length + part.Length));
        }

        part.CopyTo(_line.AsSpan(_length));
        _length += part.Length;
    }
}
