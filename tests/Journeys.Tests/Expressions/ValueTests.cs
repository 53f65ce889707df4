using System.Runtime.CompilerServices;
using Journeys.State;

namespace Journeys.Tests.Expressions;

/// <summary>The value struct keeps its kind without a field of its own (16 bytes, so a trait takes 24): each kind and
/// its payload survive construction, equality and conversion, including the payloads that look alike (0, false, an
/// empty string, the epoch).</summary>
public sealed class ValueTests
{
    [Fact]
    public void Value_TakesSixteenBytes() => Assert.Equal(16, Unsafe.SizeOf<Value>());

    public static TheoryData<object?, string, string> Values => new()
    {
        { null, "Null", "null" },
        { 0.0, "Number", "0" },
        { -2.5, "Number", "-2.5" },
        { false, "Bool", "false" },
        { true, "Bool", "true" },
        { "", "String", "" },
        { "gold", "String", "gold" },
        { new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero), "Timestamp", "0001-01-01T00:00:00Z" },
        { new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(8)), "Timestamp", "2026-03-03T21:06:07Z" },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void EachKind_KeepsItsKindAndPayload(object? clr, string kind, string text)
    {
        var value = Value.From(clr);
        Assert.Equal(kind, value.Kind.ToString());
        Assert.Equal(text, value.ToString());
        Assert.Equal(kind == "Null", value.IsNull);
        Assert.Equal(clr is DateTimeOffset t ? t.ToUniversalTime() : clr, value.ToObject());
        Assert.Equal(value, Value.From(value.ToObject()));
    }

    [Fact]
    public void LookalikePayloads_OfDifferentKinds_AreNotEqual()
    {
        Value[] lookalikes = [Value.Null, Value.Number(0), Value.Bool(false), Value.String(""), Value.TimestampTicks(0), Value.String("0")];
        for (var i = 0; i < lookalikes.Length; i++)
        {
            for (var j = 0; j < lookalikes.Length; j++)
            {
                Assert.Equal(i == j, lookalikes[i].Equals(lookalikes[j]));
            }
        }

        Assert.True(Value.Equal(Value.String("2026-01-01T00:00:00Z"), Value.Timestamp(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))).IsTrue);
        Assert.Equal(Value.String("ab"), Value.Add(Value.String("a"), Value.String("b")));
        Assert.True(Value.Less(Value.String("a"), Value.String("b")).IsTrue);
    }

    [Theory]
    [InlineData("2026-01-05T10:00:00+08:00", "2026-01-05T02:00:00Z", 0)]        // one instant, two offsets
    [InlineData("2026-01-05T10:00:00+08:00", "2026-01-05T03:00:00Z", -1)]       // as text it would be after
    [InlineData("2026-01-05T10:00:00.5Z", "2026-01-05T10:00:00Z", 1)]
    [InlineData("2026-01-04T23:30:00-05:00", "2026-01-05T04:00:00Z", 1)]
    public void TwoIsoDateTimesWithOffsets_CompareAsInstants(string a, string b, int order)
    {
        var (x, y) = (Value.String(a), Value.String(b));

        Assert.Equal(order == 0, Value.Equal(x, y).IsTrue);
        Assert.Equal(order != 0, Value.NotEqual(x, y).IsTrue);
        Assert.Equal(order < 0, Value.Less(x, y).IsTrue);
        Assert.Equal(order > 0, Value.Greater(x, y).IsTrue);
        Assert.Equal(order <= 0, Value.LessOrEqual(x, y).IsTrue);
    }

    [Theory]
    [InlineData("2026-01-05", "2026-01-05T00:00:00Z")]           // a date alone is text
    [InlineData("2026-01-05T10:00:00", "2026-01-05T10:00:00Z")]  // so is a time without an offset
    [InlineData("b", "a")]
    public void OtherStrings_CompareAsText(string a, string b)
    {
        var (x, y) = (Value.String(a), Value.String(b));

        Assert.False(Value.Equal(x, y).IsTrue);
        Assert.Equal(string.CompareOrdinal(a, b) < 0, Value.Less(x, y).IsTrue);
    }
}
