using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Journeys.Interchange;

namespace Journeys.Tests.Interchange;

/// <summary>The reader's fast path (<see cref="Utf8SegmentParser"/>: bytes straight into the input) against the careful
/// path every diagnostic comes from: on the fuzzer's lines and on a list of lines that have tripped readers, whatever
/// the fast path accepts, the careful path accepts too and reads as the same input; so a good line means the same on
/// both, and a bad line is always left to the careful path and reported as before.</summary>
public sealed partial class EventsReaderFuzzTests
{
    [Property(MaxTest = 300)]
    public Property AnyLine_TheFastPathAccepts_ReadsTheSameOnTheCarefulPath() =>
        Prop.ForAll(Files, lines =>
        {
            var parser = new Utf8SegmentParser();
            var number = 0;
            foreach (var line in SplitLines(Serialize(lines)))
            {
                Assert.Equal(Careful(line, ++number), Fast(parser, line, number));
            }
        });

    private static readonly string[] LineCases =
    [
        """{"type":"track","userId":"c1","event":"signed_up","timestamp":"2026-01-05T10:00:00Z"}""",
        """{"type":"track","userId":"c1","event":"order","timestamp":"2026-01-05T18:00:00+08:00","properties":{"amount":129.0,"big":1e21,"ok":true,"no":false,"none":null,"tags":["a",{"b":1}],"o":{"x":[1, 2]}}}""",
        """  { "timestamp" : "2026-01-05T10:00:00.1234567Z" , "userId" : "c\"1\n" , "type" : "track" , "event" : "a b" , "extra" : {"k":[1]} }  """,
        """{"type":"identify","userId":"c1","timestamp":"2026-01-05T10:00:00Z","traits":{"timeZone":"Asia/Shanghai","firstName":"Li","spend":12.5}}""",
        """{"type":"identify","userId":"c1","timestamp":"2026-01-05T10:00:00Z","traits":{"timezone":"Europe/Berlin","timeZone":"UTC"}}""",
        """{"type":"identify","userId":"c1","timestamp":"2026-01-05T10:00:00Z","traits":{"timeZone":"Mars/Olympus"}}""",
        """{"type":"identify","userId":"c1","timestamp":"2026-01-05T10:00:00Z","traits":null,"properties":"ignored"}""",
        """{"type":"track","userId":"c1","event":"e","timestamp":"2026-01-05T10:00:00Z","properties":null}""",
        """{"type":"track","userId":"c1","event":"e","timestamp":"2026-01-05T10:00:00Z","properties":"x"}""",
        """{"type":"track","userId":"c1","userId":"c2","event":"e","timestamp":"2026-01-05T10:00:00Z"}""",
        """{"type":"track","userId":"c1","event":"e","timestamp":"2026-01-05T10:00:00Z","properties":{"a":1,"a":2}}""",
        """{"type":"track","userId":"","event":"e","timestamp":"2026-01-05T10:00:00Z"}""",
        """{"type":"track","userId":7,"event":"e","timestamp":"2026-01-05T10:00:00Z"}""",
        """{"type":"track","userId":"c1","event":"e","timestamp":"2026-01-05T10:00:00"}""",
        """{"type":"track","userId":"c1","event":"e","timestamp":"2026-01-05T10:00:00Z"} x""",
        """{"type":"track","userId":"c1","event":"e","timestamp":"2026-01-05T10:00:00Z"}{}""",
        """{"type":"page","userId":"c1","event":"e","timestamp":"2026-01-05T10:00:00Z"}""",
        """{"type":"tr\u0061ck","userId":"c\u00e9","event":"e","timestamp":"2026-01-05T10:00:00Z"}""",
        """{"type":"track","userId":"c1","event":"e","timestamp":"2026-01-05T10:00:00Z","properties":{"n":1e400}}""",
        """{"type":"track","userId":"c1","event":"é","timestamp":"2026-01-05T10:00:00Z","properties":{"ü":"中文"}}""",
        """[{"type":"track"}]""",
        """{"type":"track","userId":"c1","event":"e","timestamp":"2026-01-05T10:00:00Z",}""",
        "   ",
        "\u00a0",
        "",
    ];

    public static TheoryData<string> Lines() => [.. LineCases];

    [Theory]
    [MemberData(nameof(Lines))]
    public void Line_TheFastPathAccepts_ReadsTheSameOnTheCarefulPath(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);

        Assert.Equal(Careful(bytes, 3), Fast(new Utf8SegmentParser(), bytes, 3));
    }

    [Fact]
    public void PlainGoodLines_TakeTheFastPath()
    {
        var parser = new Utf8SegmentParser();
        foreach (var line in LineCases.Take(5).Where(l => !l.Contains("\"tags\":[", StringComparison.Ordinal)))
        {
            Assert.Equal(Utf8SegmentParser.Outcome.Parsed, parser.TryParse(Encoding.UTF8.GetBytes(line), 1, out _));
        }
    }

    [Fact]
    public void LineWithAListProperty_IsLeftToTheCarefulPath_WhichReadsAList()
    {
        var line = Encoding.UTF8.GetBytes(LineCases[1]); // "tags":["a",{"b":1}]

        Assert.Equal(Utf8SegmentParser.Outcome.Fallback, new Utf8SegmentParser().TryParse(line, 1, out _));
    }

    /// <summary>The fast path's reading of a line, where it gives one; else the careful path's (what the reader does).</summary>
    private static string Fast(Utf8SegmentParser parser, byte[] line, int number) =>
        parser.TryParse(line, number, out var input) switch
        {
            Utf8SegmentParser.Outcome.Parsed => Show(input!),
            Utf8SegmentParser.Outcome.Blank => "blank",
            _ => Careful(line, number),
        };

    private static string Careful(byte[] line, int number)
    {
        var text = Encoding.UTF8.GetString(line);
        if (!new UTF8Encoding(false, true).GetBytes(text).AsSpan().SequenceEqual(line))
        {
            return "not UTF-8";
        }

        return string.IsNullOrWhiteSpace(text) ? "blank"
            : SegmentReader.TryParse(text, number, out var input, out var error) ? Show(input!) : $"error {error.Column}: {error.Message}";
    }

    private static string Show(SegmentInput input) =>
        string.Create(CultureInfo.InvariantCulture, $"{input.Line} {input.Timestamp:O} {input.CustomerId} ") + (input.Event is { } e
            ? $"track {e.Type} {e.Timestamp:O} {Show(e.Properties)}"
            : $"identify {input.Profile!.TimeZone} {input.Profile.Timestamp:O} {Show(input.Profile.Traits!)}");

    private static string Show(IReadOnlyDictionary<string, object?> values) =>
        string.Join(",", values.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => $"{kv.Key}={kv.Value?.GetType().Name}:{Convert.ToString(kv.Value, CultureInfo.InvariantCulture)}"));

    private static IEnumerable<byte[]> SplitLines(byte[] bytes)
    {
        var start = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                yield return bytes[start..i];
                start = i + 1;
            }
        }
    }
}
