using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Journeys.State;

namespace Journeys.Tests.Interchange;

/// <summary>The events reader reads <c>yyyy-MM-ddTHH:mm:ssZ</c> straight from the line's bytes
/// (<see cref="IsoInstant.TryParseUtcSeconds"/>); every other timestamp goes through the text as before. What the byte
/// reading accepts, the text reading accepts as the same instant with the same offset, and what the text reading refuses,
/// the bytes refuse: over fields in and far out of range (day 31 of April, 29 February of a common year, hour 24, minute
/// 60, second 60, year 0) and over the shape's separators replaced.</summary>
public sealed class IsoInstantFastPathTests
{
    private static string Text(int year, int month, int day, int hour, int minute, int second) =>
        string.Create(CultureInfo.InvariantCulture, $"{year:D4}-{month:D2}-{day:D2}T{hour:D2}:{minute:D2}:{second:D2}Z");

    private static void SameAsTheText(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var slow = IsoInstant.TryParse(text, out var expected);
        var fast = IsoInstant.TryParseUtcSeconds(bytes, out var value);
        if (fast)
        {
            Assert.True(slow, text);
            Assert.Equal((expected.UtcTicks, expected.Offset), (value.UtcTicks, value.Offset));
        }

        Assert.Equal(slow, IsoInstant.TryParse(bytes, out var either));
        Assert.Equal((expected.UtcTicks, expected.Offset), (either.UtcTicks, either.Offset));
    }

    [Property(MaxTest = 2000)]
    public Property AnyFields_ReadFromTheBytes_AreTheInstantTheTextGives() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var r = new Random(seed);
            SameAsTheText(Text(r.Next(0, 10000), r.Next(0, 14), r.Next(0, 33), r.Next(0, 26), r.Next(0, 62), r.Next(0, 62)));
        });

    [Property(MaxTest = 500)]
    public Property ShapeBroken_AnywhereByOneCharacter_ReadsAsTheTextReadsIt() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var r = new Random(seed);
            var text = Text(2026, 2, 28, 23, 59, 59).ToCharArray();
            text[r.Next(text.Length)] = "09-:TtZz +.x"[r.Next(12)];
            SameAsTheText(new string(text));
        });

    [Theory]
    [InlineData("2026-01-05T10:00:00Z")]
    [InlineData("2024-02-29T00:00:00Z")]
    [InlineData("2026-02-29T00:00:00Z")]
    [InlineData("2026-04-31T00:00:00Z")]
    [InlineData("2026-01-05T24:00:00Z")]
    [InlineData("2026-01-05T23:59:60Z")]
    [InlineData("0000-01-01T00:00:00Z")]
    [InlineData("2026-01-05T10:00:00z")]
    [InlineData("2026-01-05T10:00:00.5Z")]
    [InlineData("2026-01-05T10:00:00+08:00")]
    [InlineData("2026-01-05 10:00:00Z")]
    public void Cases_ReadFromTheBytes_AreTheInstantTheTextGives(string text) => SameAsTheText(text);

    [Fact]
    public void TheCommonForm_IsReadFromTheBytes()
    {
        Assert.True(IsoInstant.TryParseUtcSeconds("2026-01-05T10:00:00Z"u8, out var value));
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero), value);
    }
}
