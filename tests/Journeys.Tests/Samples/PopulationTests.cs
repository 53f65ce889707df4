using Journeys.Sample;
using Journeys.State;

namespace Journeys.Tests.Samples;

/// <summary>The main sample's generator hands out each day's inputs in time order, a tie in the order they were made —
/// the order the sample's tables depend on. Its day buffer sorts by counting minutes (or, over more than 182 days, by
/// comparison); both must give what a stable sort by time gives, day after day in the same reused buffers.</summary>
public sealed class PopulationTests
{
    private static readonly DateTimeOffset Origin = new(2025, 8, 7, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, 24 * 60, 5_000)]        // one day: the counting sort
    [InlineData(2, 151 * 24 * 60, 70_000)] // the history before the start, more than the buffer's first size: still counted
    [InlineData(3, 400 * 24 * 60, 3_000)]  // wider than the counting sort takes: sorted by comparison
    [InlineData(4, 3, 2_000)]              // many ties
    public void Day_HandsOutInputsInTimeOrder_TiesInTheOrderMade(int seed, int minutes, int count)
    {
        var random = new Random(seed);
        var day = new Population.Day(Origin);
        for (var round = 0; round < 3; round++) // the buffers are reused day after day
        {
            day.Clear();
            var made = new List<Population.Input>();
            for (var i = 0; i < count - (round * 7); i++)
            {
                var at = Origin.AddMinutes(random.Next(minutes));
                var input = new Population.Input(at, null, new CustomerEvent($"c{i}", "page_view", at));
                day.Add(input);
                made.Add(input);
            }

            var sorted = day.Sorted();

            var expected = made.OrderBy(m => m.At).ToList(); // LINQ's OrderBy is stable
            Assert.Equal(expected.Count, sorted.Count);
            Assert.Equal(expected.Select(e => e.Event), sorted.Select(s => s.Event)); // the same events, the same order
        }
    }

    [Fact]
    public void Generator_HandsOutEveryInputInTimeOrder()
    {
        var start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
        var inputs = new Population(300, start, 21).Inputs().ToList();

        Assert.True(inputs.Count > 3_000, $"{inputs.Count} inputs");
        Assert.All(inputs.Zip(inputs.Skip(1)), pair => Assert.True(pair.First.At <= pair.Second.At, $"{pair.First.At} after {pair.Second.At}"));
        Assert.Equal(inputs.Count, new Population(300, start, 21).Inputs().Count());
    }
}
