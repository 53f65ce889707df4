using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Journeys.Cli;

/// <summary>Where simulate writes its decisions: a <see cref="Utf8JsonWriter"/> per line over one buffer,
/// handed on whole lines at a time (64 KB or so) to a stream — the decisions file, or stdout's own stream — or, for a
/// <see cref="TextWriter"/> that is not the console's (a test's), decoded to text.</summary>
internal sealed class DecisionOutput
{
    private const int Chunk = 64 * 1024;
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ArrayBufferWriter<byte> _buffer = new(Chunk + 4096);
    private readonly Stream? _stream;
    private readonly TextWriter? _text;

    /// <summary>Writes to <paramref name="stream"/> (left open).</summary>
    public DecisionOutput(Stream stream)
        : this(stream, null)
    {
    }

    /// <summary>Writes to <paramref name="text"/>: to the process's standard output stream itself when it is
    /// <see cref="Console.Out"/>, else as text.</summary>
    public DecisionOutput(TextWriter text)
        : this(ReferenceEquals(text, Console.Out) ? Console.OpenStandardOutput() : null, ReferenceEquals(text, Console.Out) ? null : text)
    {
    }

    private DecisionOutput(Stream? stream, TextWriter? text)
    {
        _stream = stream;
        _text = text;
    }

    /// <summary>A writer for the next line, writing into the buffer (a small object; the buffer is what is reused):
    /// disposing it (the end of its <c>using</c>) puts the JSON value in the buffer, and <see cref="EndLine"/> ends the line.</summary>
    public Utf8JsonWriter Begin() => new(_buffer, Options);

    /// <summary>Ends a line, and hands the buffer on once it holds a chunk.</summary>
    public void EndLine()
    {
        _buffer.Write("\n"u8);
        if (_buffer.WrittenCount >= Chunk)
        {
            Drain();
        }
    }

    /// <summary>Hands on what is buffered and flushes the target.</summary>
    public void Flush()
    {
        Drain();
        _stream?.Flush();
        _text?.Flush();
    }

    private void Drain()
    {
        if (_buffer.WrittenCount == 0)
        {
            return;
        }

        if (_stream is not null)
        {
            _stream.Write(_buffer.WrittenSpan);
        }
        else
        {
            _text!.Write(Encoding.UTF8.GetString(_buffer.WrittenSpan)); // whole lines: no character is split
        }

        _buffer.ResetWrittenCount();
    }
}
