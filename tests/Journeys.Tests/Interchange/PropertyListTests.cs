using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Journeys.Interchange;
using Journeys.State;

namespace Journeys.Tests.Interchange;

/// <summary>An event's properties, as the events reader holds them (<see cref="PropertyList"/>: one array instead of a
/// dictionary), read exactly as the dictionary the reader filled before: the same pairs in the same order, a repeated
/// name's later value in the earlier one's place, names compared ordinally; a line with more names than a list holds
/// gets a dictionary.</summary>
public sealed class PropertyListTests
{
    private static readonly string[] Names = ["a", "b", "A", "ab", "é", "amount", "path", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "y1", "y2", "y3", "y4"];

    [Property(MaxTest = 500)]
    public Property AnySets_ReadAsTheDictionaryFilledTheSameWay() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var r = new Random(seed);
            var list = new PropertyList();
            var dictionary = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = r.Next(0, 30); i > 0; i--)
            {
                var name = Names[r.Next(Names.Length)];
                object? value = r.Next(3) switch { 0 => (double)i, 1 => null, _ => "v" + i };
                if (list.Set(name, value))
                {
                    dictionary[name] = value;
                }
                else
                {
                    Assert.Equal(PropertyList.MaxPairs, list.Count); // full, and the name is new
                    Assert.False(dictionary.ContainsKey(name));
                    return;
                }
            }

            Assert.Equal(dictionary.ToList(), list.ToList());
            Assert.Equal(dictionary.Keys, list.Keys);
            Assert.Equal(dictionary.Values, list.Values);
            Assert.Equal(dictionary.ToList(), list.ToDictionary().ToList());
            foreach (var name in Names.Append("missing").Append("AB"))
            {
                Assert.Equal(dictionary.TryGetValue(name, out var expected), list.TryGetValue(name, out var value));
                Assert.Equal(expected, value);
                Assert.Equal(dictionary.ContainsKey(name), list.ContainsKey(name));
            }
        });

    [Theory]
    [InlineData(2, typeof(PropertyList))]
    [InlineData(16, typeof(PropertyList))]
    [InlineData(17, typeof(Dictionary<string, object?>))]
    [InlineData(40, typeof(Dictionary<string, object?>))]
    public void ALine_GetsAListUpToItsSize_AndADictionaryPastIt(int count, Type expected)
    {
        var properties = string.Join(",", Enumerable.Range(0, count).Select(i => $"\"p{i}\":{i}").Append("\"p0\":\"again\""));
        var line = Encoding.UTF8.GetBytes($$$"""{"type":"track","userId":"c1","event":"e","timestamp":"2026-01-05T10:00:00Z","properties":{{{{properties}}}}}""");

        Assert.Equal(Utf8SegmentParser.Outcome.Parsed, new Utf8SegmentParser().TryParse(line, 1, out var input));

        var read = input!.Event!.Properties;
        Assert.IsType(expected, read);
        Assert.Equal(count, read.Count);
        Assert.Equal(["p0", .. Enumerable.Range(1, count - 1).Select(i => "p" + i)], read.Keys);
        Assert.Equal("again", read["p0"]); // the later value, in the first one's place
        Assert.Equal((double)(count - 1), read["p" + (count - 1)]);
    }
}
