using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Journeys.State;

namespace Journeys.Interchange;

/// <summary>The fast path of <see cref="SegmentReader"/>: a line's UTF-8 bytes read with one <see cref="Utf8JsonReader"/>
/// straight into its input, with no string of the line and no document. It accepts only lines that are plainly good —
/// valid UTF-8, no <c>\u</c> escape, no escaped or repeated field name, every field of the right type — and gives up
/// (<see cref="Outcome.Fallback"/>) on anything else, which the reader then parses the careful way: that way is the
/// one place diagnostics are made, so a bad line is reported exactly as before, and what a good line gives is the same
/// on both paths (a test reads lines both ways and compares). Keeps the last timestamp and the event names it has seen,
/// so lines sharing them share the parsed value and the string. One instance per reading thread.</summary>
internal sealed class Utf8SegmentParser
{
    /// <summary>What <see cref="TryParse"/> made of a line.</summary>
    public enum Outcome
    {
        /// <summary>A good line; the input is set.</summary>
        Parsed,

        /// <summary>Nothing but ASCII white space: skipped.</summary>
        Blank,

        /// <summary>Not for the fast path: parse it the careful way.</summary>
        Fallback,
    }

    private const int UserId = 1, Timestamp = 2, Type = 4, Event = 8, Properties = 16, Traits = 32;
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 16 };

    private readonly byte[] _lastTimestamp = new byte[64];
    private int _lastTimestampLength = -1;
    private DateTimeOffset _lastTimestampValue;
    private readonly List<(byte[] Bytes, string Text)> _names = [];
    private readonly List<(byte[] Bytes, string Text)> _keys = [];

    public Outcome TryParse(ReadOnlySpan<byte> line, int number, out SegmentInput? input)
    {
        input = null;
        var start = line.IndexOfAnyExcept(" \t\r\n"u8);
        if (start < 0)
        {
            return Outcome.Blank;
        }

        if (line[start] != (byte)'{' || line.IndexOf("\\u"u8) >= 0 || !Utf8.IsValid(line))
        {
            return Outcome.Fallback;
        }

        try
        {
            input = Parse(line, number);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            input = null;
        }

        return input is null ? Outcome.Fallback : Outcome.Parsed;
    }

    private SegmentInput? Parse(ReadOnlySpan<byte> line, int number)
    {
        var reader = new Utf8JsonReader(line, Options);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        string? userId = null, type = null, name = null;
        DateTimeOffset? timestamp = null;
        IReadOnlyDictionary<string, object?>? properties = null;
        Dictionary<string, object?>? traits = null;
        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueIsEscaped)
            {
                return null;
            }

            var field = reader.ValueTextEquals("userId"u8) ? UserId
                : reader.ValueTextEquals("timestamp"u8) ? Timestamp
                : reader.ValueTextEquals("type"u8) ? Type
                : reader.ValueTextEquals("event"u8) ? Event
                : reader.ValueTextEquals("properties"u8) ? Properties
                : reader.ValueTextEquals("traits"u8) ? Traits
                : 0;
            if ((seen & field) != 0)
            {
                return null; // a repeated field: which one counts is the careful path's to say
            }

            seen |= field;
            reader.Read();
            switch (field)
            {
                case UserId:
                    userId = Text(ref reader);
                    break;
                case Timestamp:
                    timestamp = When(ref reader);
                    if (timestamp is null)
                    {
                        return null;
                    }

                    break;
                case Type:
                    type = reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped
                        ? reader.ValueTextEquals("track"u8) ? "track" : reader.ValueTextEquals("identify"u8) ? "identify" : null
                        : null;
                    break;
                case Event:
                    name = Name(ref reader);
                    break;
                case Properties:
                    properties = Values(ref reader, line, compact: true);
                    break;
                case Traits:
                    traits = (Dictionary<string, object?>?)Values(ref reader, line, compact: false);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read() || userId is null || timestamp is not { } at)
        {
            return null; // reading past the object throws on anything but white space
        }

        switch (type)
        {
            case "track" when name is not null && ((seen & Properties) == 0 || properties is not null):
                return new SegmentInput(number, at, new CustomerEvent(userId, name, at, properties ?? new PropertyList()), null);
            case "identify" when (seen & Traits) == 0 || traits is not null:
            {
                traits ??= new Dictionary<string, object?>(StringComparer.Ordinal);
                string? zone = null;
                if (traits.Remove("timeZone", out var z) | traits.Remove("timezone", out var z2))
                {
                    zone = (z ?? z2) as string;
                    if (zone is null || !TimeZones.TryFind(zone, out _))
                    {
                        return null;
                    }
                }

                return new SegmentInput(number, at, null, new CustomerProfile(userId, traits, zone, at));
            }

            default:
                return null;
        }
    }

    /// <summary>A non-empty string, else null.</summary>
    private static string? Text(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String && reader.GetString() is { Length: > 0 } text ? text : null;

    /// <summary>An event's name: the string the last line with the same bytes gave, so names are shared.</summary>
    private string? Name(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.ValueSpan.IsEmpty)
        {
            return Text(ref reader);
        }

        var bytes = reader.ValueSpan;
        foreach (var (known, text) in _names)
        {
            if (bytes.SequenceEqual(known))
            {
                return text;
            }
        }

        var name = Encoding.UTF8.GetString(bytes);
        if (_names.Count < 64)
        {
            _names.Add((bytes.ToArray(), name));
        }

        return name;
    }

    /// <summary>A property's or trait's name: the string the last line with the same bytes gave, so the names a file
    /// repeats on every line are made once (the first few dozen of them).</summary>
    private string Key(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped)
        {
            return reader.GetString()!;
        }

        var bytes = reader.ValueSpan;
        foreach (var (known, text) in _keys)
        {
            if (bytes.SequenceEqual(known))
            {
                return text;
            }
        }

        var key = reader.GetString()!;
        if (_keys.Count < 32)
        {
            _keys.Add((bytes.ToArray(), key));
        }

        return key;
    }

    /// <summary>A timestamp of the accepted form; the last one's value again when the bytes are the same.</summary>
    private DateTimeOffset? When(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
        {
            return null;
        }

        var bytes = reader.ValueSpan;
        if (bytes.Length == _lastTimestampLength && bytes.SequenceEqual(_lastTimestamp.AsSpan(0, _lastTimestampLength)))
        {
            return _lastTimestampValue;
        }

        if (!IsoInstant.TryParse(bytes, out var value))
        {
            return null;
        }

        if (bytes.Length <= _lastTimestamp.Length)
        {
            bytes.CopyTo(_lastTimestamp);
            _lastTimestampLength = bytes.Length;
            _lastTimestampValue = value;
        }

        return value;
    }

    /// <summary>An object's fields as the careful path reads them (strings, numbers as doubles, booleans, null, and the raw
    /// JSON text of a nested object); empty for null; null (give up: the careful path reads the line) for an array, which
    /// is a list, and for anything else. <paramref name="compact"/>: an event's properties, in a <see cref="PropertyList"/>
    /// (a dictionary past its size); else a <see cref="Dictionary{TKey, TValue}"/> (traits: the reader takes the time zone
    /// out of them).</summary>
    private IReadOnlyDictionary<string, object?>? Values(ref Utf8JsonReader reader, ReadOnlySpan<byte> line, bool compact)
    {
        var list = compact ? new PropertyList() : null;
        var values = compact ? null : new Dictionary<string, object?>(StringComparer.Ordinal);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return (IReadOnlyDictionary<string, object?>?)list ?? values;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        var ok = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = Key(ref reader);
            reader.Read();
            object? value;
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    value = reader.GetString();
                    break;
                case JsonTokenType.Number:
                    if (reader.TryGetDouble(out var number) && double.IsFinite(number))
                    {
                        value = number;
                    }
                    else
                    {
                        ok = false;
                        continue;
                    }

                    break;
                case JsonTokenType.True:
                    value = true;
                    break;
                case JsonTokenType.False:
                    value = false;
                    break;
                case JsonTokenType.Null:
                    value = null;
                    break;
                case JsonTokenType.StartArray: // a list (its items typed as the careful path types them): that path reads it
                    reader.Skip();
                    ok = false;
                    continue;
                default:
                    var from = (int)reader.TokenStartIndex;
                    reader.Skip();
                    value = Encoding.UTF8.GetString(line[from..(int)reader.BytesConsumed]);
                    break;
            }

            if (list is not null && !list.Set(key, value))
            {
                values = list.ToDictionary(); // more names than a list holds
                list = null;
            }

            if (values is not null)
            {
                values[key] = value;
            }
        }

        return !ok ? null : (IReadOnlyDictionary<string, object?>?)list ?? values;
    }
}
