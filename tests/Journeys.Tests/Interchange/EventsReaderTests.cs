using System.Text;
using Journeys.Interchange;

namespace Journeys.Tests.Interchange;

/// <summary>The events file is operator input: every way it can be wrong is an error naming its line and column, never an
/// exception, and reading it holds at most one line's worth of it.</summary>
public sealed class EventsReaderTests
{
    private const string Track = """{"type":"track","userId":"c1","event":"signed_up","timestamp":"2026-01-05T10:00:00Z"}""";

    internal static (List<SegmentInput> Inputs, List<string> Errors) Read(byte[] bytes) => SegmentReader.Read(new MemoryStream(bytes), "events.jsonl");

    internal static (List<SegmentInput> Inputs, List<string> Errors) Read(params string[] lines) =>
        Read(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"));

    [Theory]
    [InlineData("""{"type":"track","userId":"\ud800","event":"e","timestamp":"2026-01-05T10:00:00Z"}""", 26)]
    [InlineData("""{"type":"track","userId":"c1","event":"e\udc00x","timestamp":"2026-01-05T10:00:00Z"}""", 39)]
    [InlineData("""{"type":"track","userId":"c1","event":"e","timestamp":"2026-01-05T10:00:00Z","properties":{"k":"\ud83d"}}""", 96)]
    [InlineData("""{"type":"track","userId":"c1","event":"e","timestamp":"2026-01-05T10:00:00Z","properties":{"\ud800":1}}""", 92)]
    [InlineData("""{"type":"identify","userId":"c1","timestamp":"2026-01-05T10:00:00Z","traits":{"tags":["a","\udfff"]}}""", 91)]
    public void LoneSurrogateEscape_InAnyString_IsAnErrorAtThatStringsQuoteNotAnException(string line, int column)
    {
        var (inputs, errors) = Read(Track, line);

        Assert.Single(inputs);
        var error = Assert.Single(errors);
        Assert.Equal($"events.jsonl:2:{column}: a string escapes half of a UTF-16 surrogate pair (such as \\ud800 alone), which is no Unicode character", error);
    }

    [Fact]
    public void SurrogatePairEscape_IsOneCharacterAndReadsFine()
    {
        var (inputs, errors) = Read("""{"type":"track","userId":"c\ud83d\ude00","event":"e","timestamp":"2026-01-05T10:00:00Z"}""");

        Assert.Empty(errors);
        Assert.Equal("c\U0001F600", Assert.Single(inputs).CustomerId);
    }

    [Fact]
    public void InvalidUtf8_IsAnErrorNamingTheLineAndColumn_SoTwoDistinctBadIdsNeverMerge()
    {
        byte[] Line(byte bad) => [.. "{\"type\":\"track\",\"userId\":\"c"u8, bad, .. "\",\"event\":\"e\",\"timestamp\":\"2026-01-05T10:00:00Z\"}\n"u8];

        var (inputs, errors) = Read([.. Line(0xFF), .. Line(0xFE), .. Encoding.UTF8.GetBytes(Track + "\n")]);

        Assert.Single(inputs);
        Assert.Equal(
        [
            "events.jsonl:1:28: byte 0xFF is not valid UTF-8 (the file must be UTF-8 text)",
            "events.jsonl:2:28: byte 0xFE is not valid UTF-8 (the file must be UTF-8 text)",
        ], errors);
    }

    [Fact]
    public void InvalidUtf8_AfterMultiByteCharacters_IsPlacedInCharactersNotBytes()
    {
        var (_, errors) = Read([.. "{\"userId\":\"éé"u8, 0xC3, 0x28, .. "\"}\n"u8]);

        Assert.Equal("events.jsonl:1:14: byte 0xC3 is not valid UTF-8 (the file must be UTF-8 text)", Assert.Single(errors));
    }

    [Fact]
    public void ByteOrderMark_AtTheStart_IsSkipped()
    {
        var (inputs, errors) = Read([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Track + "\r\n" + Track)]);

        Assert.Empty(errors);
        Assert.Equal(2, inputs.Count);
    }

    [Fact]
    public void LineOfExactlyTheLimit_WithACarriageReturn_IsNotTooLong()
    {
        var padded = Track[..^1] + ",\"pad\":\"" + new string('x', SegmentReader.MaxLineLength - Track.Length - 9) + "\"}";
        Assert.Equal(SegmentReader.MaxLineLength, Encoding.UTF8.GetByteCount(padded));

        var (inputs, errors) = Read(Encoding.UTF8.GetBytes(padded + "\r\n" + padded + "x\n" + Track));

        Assert.Equal(2, inputs.Count);
        Assert.Equal("events.jsonl:2:1: line is longer than 1,048,576 bytes", Assert.Single(errors));
    }

    [Fact]
    public void TwoHundredMegabyteLine_AllocatesAboutOneLineLimitNotTheLine()
    {
        using var stream = new GeneratedStream(200L * 1024 * 1024, Encoding.UTF8.GetBytes("\n" + Track + "\n"));
        var before = GC.GetAllocatedBytesForCurrentThread();

        var (inputs, errors) = SegmentReader.Read(stream, "big.jsonl");

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal("big.jsonl:1:1: line is longer than 1,048,576 bytes", Assert.Single(errors));
        Assert.Equal("c1", Assert.Single(inputs).CustomerId); // the line after it is read
        Assert.True(allocated < 8L * 1024 * 1024, $"allocated {allocated:N0} bytes for a 200 MB line");
    }

    /// <summary>A stream of <c>length</c> bytes of 'x' followed by a tail, made as it is read (nothing held).</summary>
    private sealed class GeneratedStream(long length, byte[] tail) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length + tail.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var fill = (int)Math.Clamp(length - _position, 0, count);
            buffer.AsSpan(offset, fill).Fill((byte)'x');
            var rest = (int)Math.Clamp(Length - _position - fill, 0, count - fill);
            if (rest > 0)
            {
                tail.AsSpan((int)(_position + fill - length), rest).CopyTo(buffer.AsSpan(offset + fill));
            }

            _position += fill + rest;
            return fill + rest;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
