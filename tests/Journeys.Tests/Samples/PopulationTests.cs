using Journeys.Sample;

namespace Journeys.Tests.Samples;

/// <summary>The main sample's generator hands out each day's inputs in time order, a tie in the order they were made —
/// the order the sample's tables depend on. Its day buffer sorts by counting minutes (or, over more than 182 days, by
/// comparison); both must give what a stable sort by time gives.</summary>
public sealed class PopulationTests
{
    private static readonly DateTimeOffset Origin = new(2025, 8, 7, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, 24 * 60, 5_000)]        // one day: the counting sort
    [InlineData(2, 151 * 24 * 60, 20_000)] // the history before the start: still counted
    [InlineData(3, 400 * 24 * 60, 3_000)]  // wider than the counting sort takes: sorted by comparison
    [InlineData(4, 3, 2_000)]              // many ties
    public void Day_HandsOutInputsInTimeOrder_TiesInTheOrderMade(int seed, int minutes, int count)
    {
        var random = new Random(seed);
        var ids = Enumerable.Range(0, count).Select(i => $"c{i}").ToArray();
        var day = new Population.Day(Origin);
        var made = new List<(DateTimeOffset At, int Index)>();
        for (var round = 0; round < 2; round++) // the buffer is reused day after day
        {
            day.Clear();
            made.Clear();
            for (var i = 0; i < count; i++)
            {
                var at = Origin.AddMinutes(random.Next(minutes));
                day.Add(at, i, i % 9, amount: i);
                made.Add((at, i));
            }

            day.Sort();

            var expected = made.OrderBy(m => m.At).ToList(); // LINQ's OrderBy is stable
            Assert.Equal(count, day.Count);
            var handed = Enumerable.Range(0, day.Count).Select(n => day.Make(n, ids)).ToList();
            Assert.Equal(expected.Select(e => (e.At, ids[e.Index])), handed.Select(h => (h.At, h.Event!.CustomerId)));
            Assert.All(handed, h => Assert.Equal(h.At, h.Event!.Timestamp));
        }
    }

    [Fact]
    public void Day_KeepsMadeInputs_AndGivesOrdersTheirAmount()
    {
        var day = new Population.Day(Origin);
        var profile = new State.CustomerProfile("p", new Dictionary<string, object?>(), "UTC");
        day.Add(Origin.AddMinutes(5), 0, 4, amount: 80.0); // type 4: order_completed
        day.Add(new Population.Input(Origin.AddMinutes(2), profile, null));
        day.Add(Origin.AddMinutes(2), 0, 7); // page_view, the same minute as the profile, made after it

        day.Sort();

        var handed = Enumerable.Range(0, day.Count).Select(n => day.Make(n, ["c0"])).ToList();
        Assert.Same(profile, handed[0].Profile);
        Assert.Equal("page_view", handed[1].Event!.Type);
        Assert.Empty(handed[1].Event!.Properties);
        Assert.Equal("order_completed", handed[2].Event!.Type);
        Assert.Equal(80.0, handed[2].Event!.Properties["amount"]);
    }
}
