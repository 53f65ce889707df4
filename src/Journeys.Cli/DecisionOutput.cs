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

    private const int Remembered = 4096;

    private readonly ArrayBufferWriter<byte> _buffer = new(Chunk + 4096);
    private readonly Stream? _stream;
    private readonly TextWriter? _text;
    private readonly Utf8JsonWriter _json;
    private readonly Dictionary<object, JsonEncodedText> _encoded = new(ReferenceEqualityComparer.Instance);
    private long _timestampTicks = long.MinValue;
    private JsonEncodedText _timestamp;

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
        _json = new Utf8JsonWriter(_buffer, Options);
    }

    /// <summary>The names of a decision's fields, escaped once.</summary>
    public static class Names
    {
        /// <summary><c>timestamp</c> and the rest, in the order a decision's line has them.</summary>
        public static readonly JsonEncodedText Timestamp = Name("timestamp"), UserId = Name("userId"), Journey = Name("journey"),
            Version = Name("version"), Step = Name("step"), Decision = Name("decision"), Channel = Name("channel"),
            Template = Name("template"), Reason = Name("reason"), From = Name("from"), Case = Name("case");

        private static JsonEncodedText Name(string name) => JsonEncodedText.Encode(name, Options.Encoder);
    }

    /// <summary>The one writer, ready for the next line and writing into the buffer: <see cref="EndLine"/> puts its JSON
    /// value in the buffer and ends the line.</summary>
    public Utf8JsonWriter Begin()
    {
        _json.Reset();
        return _json;
    }

    /// <summary><paramref name="value"/> escaped as the writer escapes it; a string seen before (the same object: a
    /// journey's id, a step's name, a label) is escaped once and remembered, up to a few thousand of them.</summary>
    public JsonEncodedText Encoded(string value)
    {
        if (_encoded.TryGetValue(value, out var known))
        {
            return known;
        }

        var encoded = JsonEncodedText.Encode(value, Options.Encoder);
        if (_encoded.Count < Remembered)
        {
            _encoded.Add(value, encoded);
        }

        return encoded;
    }

    /// <summary>The timestamp's text, made once per instant (decisions come an instant at a time).</summary>
    public JsonEncodedText Timestamp(DateTimeOffset at, Func<DateTimeOffset, string> format)
    {
        if (at.UtcTicks != _timestampTicks)
        {
            _timestamp = JsonEncodedText.Encode(format(at), Options.Encoder);
            _timestampTicks = at.UtcTicks;
        }

        return _timestamp;
    }

    /// <summary>Ends a line — the writer's value first, then <c>\n</c> — and hands the buffer on once it holds a chunk.</summary>
    public void EndLine()
    {
        _json.Flush();
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
