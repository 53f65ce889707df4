using System.Globalization;
using System.Text;
using System.Text.Json;
using Journeys.Files;
using Journeys.State;

namespace Journeys.Interchange;

/// <summary>Reads Segment-spec JSON lines (<c>track</c> and <c>identify</c>), checking every line before anything runs:
/// each bad line is reported as <c>file:line:column: message</c>, and nothing is returned unless all are good.</summary>
public static class SegmentReader
{
    /// <summary>The longest line read, in bytes of UTF-8; a longer one is an error, found while it is read.</summary>
    public const int MaxLineLength = 1024 * 1024;

    /// <summary>The form a timestamp must have, as error messages show it.</summary>
    public const string TimestampForm = "ISO 8601 with a UTC offset, such as 2026-01-05T10:00:00Z or 2026-01-05T18:00:00+08:00";

    /// <summary>Parses a timestamp of the events file or of <c>--until</c>: ISO 8601 with an offset (<see cref="TimestampForm"/>).
    /// On failure, <paramref name="problem"/> says what is wrong after the quoted text (<c>'x' has no UTC offset ...</c>).</summary>
    /// <param name="text">The timestamp's text.</param>
    /// <param name="value">The instant, when the text is one.</param>
    /// <param name="problem">What is wrong with the text, else empty.</param>
    /// <returns>Whether the text is a timestamp of the accepted form.</returns>
    public static bool TryParseTimestamp(string text, out DateTimeOffset value, out string problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = default;
        problem = "";
        if (IsoInstant.TryParse(text, out value))
        {
            return true;
        }

        problem = IsoInstant.LacksOffset(text)
            ? $"'{text}' has no UTC offset: write {TimestampForm}"
            : $"'{text}' is not an ISO 8601 timestamp";
        return false;
    }

    /// <summary>Reads an events file through the same gate as journey files: a named pipe, a device (such as
    /// <c>/dev/zero</c>), a socket or a loop of symbolic links is refused before it is opened, as one error
    /// <c>file:0:0: cannot read file: ...</c>; otherwise as <see cref="Read(Stream, string)"/>.</summary>
    /// <param name="path">The events file; errors name it as given.</param>
    /// <returns>The good lines in file order, and one error per bad line (none when all are good).</returns>
    public static (List<SegmentInput> Inputs, List<string> Errors) ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = InputFile.Open(path, out var problem);
        if (stream is null)
        {
            return ([], [$"{path}:0:0: cannot read file: {problem}"]);
        }

        try
        {
            return Read(stream, path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ([], [$"{path}:0:0: cannot read file: {ex.Message}"]);
        }
    }

    /// <summary>Reads every line of UTF-8 JSON; an error is <c>file:line:column: message</c>, the column (1-based, in
    /// characters) where the problem is: a JSON syntax error's position, a byte that is not UTF-8, a string escaping half a
    /// surrogate pair, or the value (else the key) of the field that is wrong, or 1. A line longer than
    /// <see cref="MaxLineLength"/> bytes is an error found while it is read: no more of it than that is held.</summary>
    /// <param name="stream">The JSON lines, UTF-8 (a byte order mark is skipped); blank lines are skipped.</param>
    /// <param name="file">The file name errors start with.</param>
    /// <returns>The good lines in file order, and one error per bad line (none when all are good).</returns>
    public static (List<SegmentInput> Inputs, List<string> Errors) Read(Stream stream, string file)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(file);
        var inputs = new List<SegmentInput>();
        var errors = new List<string>();
        foreach (var (input, error) in ReadLines(stream, file))
        {
            if (input is not null)
            {
                inputs.Add(input);
            }
            else
            {
                errors.Add(error!);
            }
        }

        return (inputs, errors);
    }

    /// <summary>Reads an events file one line at a time, holding no more than the line being read: through the same gate
    /// as <see cref="ReadFile"/> (a file that cannot be read gives one error <c>file:0:0: cannot read file: ...</c>, and
    /// so does a read that fails part way, after which nothing more is read), each line as <see cref="Read(Stream, string)"/>
    /// reads it. Good lines are read straight from their bytes into the input (<see cref="Utf8JsonReader"/>); any other
    /// line is read the careful way, so its error is the same.</summary>
    /// <param name="path">The events file; errors name it as given.</param>
    /// <param name="progress">Told of the bytes read so far, every few thousand lines and at the end; or null.</param>
    /// <returns>Per non-blank line, in file order, its input or (when it is bad) its error.</returns>
    public static IEnumerable<(SegmentInput? Input, string? Error)> ReadLines(string path, Action<long>? progress = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = InputFile.Open(path, out var problem);
        return stream is null ? [(null, $"{path}:0:0: cannot read file: {problem}")] : ReadLines(stream, path, progress, dispose: true);
    }

    /// <summary>Reads the lines of <paramref name="stream"/> one at a time, as <see cref="ReadLines(string, Action{long})"/>.</summary>
    /// <param name="stream">The JSON lines, UTF-8 (a byte order mark is skipped); blank lines are skipped.</param>
    /// <param name="file">The file name errors start with.</param>
    /// <returns>Per non-blank line, in file order, its input or (when it is bad) its error.</returns>
    public static IEnumerable<(SegmentInput? Input, string? Error)> ReadLines(Stream stream, string file)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(file);
        return ReadLines(stream, file, null, dispose: false);
    }

    private static IEnumerable<(SegmentInput? Input, string? Error)> ReadLines(Stream stream, string file, Action<long>? progress, bool dispose)
    {
        try
        {
            var lines = new Utf8LineReader(stream, MaxLineLength);
            var parser = new Utf8SegmentParser();
            var failed = false;
            while (true)
            {
                (SegmentInput? Input, string? Error) result;
                try
                {
                    if (!lines.Next(out var bytes, out var tooLong))
                    {
                        break;
                    }

                    if (progress is not null && (lines.Number & 4095) == 0)
                    {
                        progress(stream.Position);
                    }

                    result = ReadLine(parser, bytes, tooLong, lines.Number, file);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    result = (null, $"{file}:0:0: cannot read file: {ex.Message}");
                    failed = true;
                }

                if (failed)
                {
                    yield return result;
                    yield break;
                }

                if (result.Input is not null || result.Error is not null)
                {
                    yield return result;
                }
            }

            progress?.Invoke(stream.CanSeek ? stream.Position : 0);
        }
        finally
        {
            if (dispose)
            {
                stream.Dispose();
            }
        }
    }

    /// <summary>One line: its input, its error, or neither (a blank line).</summary>
    private static (SegmentInput? Input, string? Error) ReadLine(Utf8SegmentParser parser, ReadOnlySpan<byte> bytes, bool tooLong, int number, string file)
    {
        if (tooLong)
        {
            return (null, string.Create(CultureInfo.InvariantCulture, $"{file}:{number}:1: line is longer than {MaxLineLength:N0} bytes"));
        }

        switch (parser.TryParse(bytes, number, out var fast))
        {
            case Utf8SegmentParser.Outcome.Parsed:
                return (fast, null);
            case Utf8SegmentParser.Outcome.Blank:
                return (null, null);
        }

        if (InputFile.Decode(bytes, out var line) is { } bad)
        {
            return (null, string.Create(CultureInfo.InvariantCulture,
                $"{file}:{number}:{Encoding.UTF8.GetCharCount(bytes[..bad]) + 1}: byte 0x{bytes[bad]:X2} is not valid UTF-8 (the file must be UTF-8 text)"));
        }

        if (string.IsNullOrWhiteSpace(line))
        {
            return (null, null);
        }

        return TryParse(line, number, out var input, out var error) ? (input, null) : (null, $"{file}:{number}:{error.Column}: {error.Message}");
    }

    internal static bool TryParse(string line, int number, out SegmentInput? input, out (int Column, string Message) error)
    {
        input = null;
        error = default;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            error = (CharColumn(line, ex.BytePositionInLine ?? 0),
                "not valid JSON: " + ex.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd());
            return false;
        }

        using (doc)
        {
            if (line.Contains("\\u", StringComparison.Ordinal) && LoneSurrogate(line) is { } column)
            {
                error = (column, "a string escapes half of a UTF-16 surrogate pair (such as \\ud800 alone), which is no Unicode character");
                return false;
            }

            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = (1, "expected a JSON object such as {\"type\":\"track\",\"userId\":\"c1\",\"event\":\"signed_up\",\"timestamp\":\"...\"}");
                return false;
            }

            if (!RequiredString(line, root, "userId", "missing \"userId\"", out var userId, out error))
            {
                return false;
            }

            if (!RequiredString(line, root, "timestamp", $"missing \"timestamp\" ({TimestampForm})", out var ts, out error))
            {
                return false;
            }

            if (!TryParseTimestamp(ts, out var timestamp, out var problem))
            {
                error = (Column(line, "timestamp"), "\"timestamp\" " + problem);
                return false;
            }

            if (!RequiredString(line, root, "type", "missing \"type\" (track or identify)", out var type, out error))
            {
                return false;
            }

            switch (type)
            {
                case "track":
                {
                    if (!RequiredString(line, root, "event", "a track line needs \"event\" (the event's type)", out var name, out error) ||
                        !Properties(line, root, "properties", out var properties, out error))
                    {
                        return false;
                    }

                    input = new SegmentInput(number, timestamp, new CustomerEvent(userId, name, timestamp, properties), null);
                    return true;
                }

                case "identify":
                {
                    if (!Properties(line, root, "traits", out var traits, out error))
                    {
                        return false;
                    }

                    string? zone = null;
                    var key = traits.ContainsKey("timeZone") ? "timeZone" : "timezone";
                    if (traits.Remove("timeZone", out var z) | traits.Remove("timezone", out var z2))
                    {
                        zone = (z ?? z2) as string;
                        if (zone is null || !TimeZones.TryFind(zone, out _))
                        {
                            error = (Column(line, "traits", key), $"\"timeZone\" '{z ?? z2}' is not a known IANA time zone (such as Asia/Shanghai)");
                            return false;
                        }
                    }

                    input = new SegmentInput(number, timestamp, null, new CustomerProfile(userId, traits, zone, timestamp));
                    return true;
                }

                default:
                    error = (Column(line, "type"), $"\"type\" '{type}' is not supported (track or identify)");
                    return false;
            }
        }
    }

    /// <summary>The column of the first string or name (at any depth) whose escapes leave half a surrogate pair, such as
    /// <c>"\ud800"</c>: <see cref="JsonDocument"/> parses it, but reading it as text throws. Checked once per line that
    /// has an escape, so no later read of the line can.</summary>
    private static int? LoneSurrogate(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 16 });
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
            {
                try
                {
                    _ = reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    return CharColumn(bytes, reader.TokenStartIndex);
                }
            }
        }

        return null;
    }

    /// <summary>A field that must be a non-empty string: missing, empty or of another JSON type, it is an error that says
    /// which, at the column of its value.</summary>
    private static bool RequiredString(string line, JsonElement root, string name, string missing, out string value, out (int Column, string Message) error)
    {
        value = "";
        error = default;
        if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            error = (v.ValueKind == JsonValueKind.Null ? Column(line, name) : 1, missing);
            return false;
        }

        if (v.ValueKind != JsonValueKind.String)
        {
            error = (Column(line, name), $"\"{name}\" must be a string, not {Describe(v)}");
            return false;
        }

        value = v.GetString()!;
        if (value.Length == 0)
        {
            error = (Column(line, name), $"\"{name}\" must not be empty");
            return false;
        }

        return true;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => "the number " + Shorten(value.GetRawText()),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => "null",
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";

    private static bool Properties(string line, JsonElement root, string name, out Dictionary<string, object?> values, out (int Column, string Message) error)
    {
        values = new Dictionary<string, object?>(StringComparer.Ordinal);
        error = default;
        if (!root.TryGetProperty(name, out var obj) || obj.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (obj.ValueKind != JsonValueKind.Object)
        {
            error = (Column(line, name), $"\"{name}\" must be an object, not {(obj.ValueKind == JsonValueKind.String ? "a string" : Describe(obj))}");
            return false;
        }

        foreach (var p in obj.EnumerateObject())
        {
            values[p.Name] = Plain(p.Value);
        }

        return true;
    }

    /// <summary>A JSON value as a trait or property holds it: an array becomes a list (its items converted alike), an object
    /// stays its JSON text.</summary>
    private static object? Plain(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        JsonValueKind.Array => value.EnumerateArray().Select(Plain).ToList(),
        _ => value.GetRawText(),
    };

    /// <summary>The column of the value of the top-level field <paramref name="name"/> (or of <paramref name="inner"/> in
    /// that object), the last one when a name repeats as <see cref="JsonDocument"/> reads it; 1 if it is not there. Only
    /// bad lines are read a second time for this.</summary>
    private static int Column(string line, string name, string? inner = null)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 16 });
        var (inside, found) = (false, -1L);
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (reader.CurrentDepth == 1)
            {
                inside = reader.ValueTextEquals(name);
                if (inside && inner is null && reader.Read())
                {
                    found = reader.TokenStartIndex;
                }
            }
            else if (inside && reader.CurrentDepth == 2 && inner is not null && reader.ValueTextEquals(inner) && reader.Read())
            {
                found = reader.TokenStartIndex;
            }
        }

        return found < 0 ? 1 : CharColumn(bytes, found);
    }

    /// <summary>The 1-based character column of a byte offset in the line's UTF-8 form (the reader counts bytes).</summary>
    private static int CharColumn(string line, long bytePosition) => CharColumn(Encoding.UTF8.GetBytes(line), bytePosition);

    private static int CharColumn(byte[] bytes, long bytePosition) =>
        Encoding.UTF8.GetCharCount(bytes, 0, (int)Math.Clamp(bytePosition, 0, bytes.Length)) + 1;
}
