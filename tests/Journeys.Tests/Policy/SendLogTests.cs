using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Journeys.State;

namespace Journeys.Tests.Policy;

/// <summary>The packed send log against a plain list of sends: it keeps the sends younger than the keep period, oldest
/// first, and counts them per window, channel and journey as the list does.</summary>
public sealed class SendLogTests
{
    private const long Day = TimeSpan.TicksPerDay;

    [Property(MaxTest = 80)]
    public Property KeepsAndCountsAsAPlainList() =>
        Prop.ForAll(Arb.From(Gen.Choose(1, int.MaxValue - 1)), seed =>
        {
            var random = new Random(seed);
            var keep = random.Next(1, 30) * Day;
            var log = new SendLog();
            var model = new List<(long Ticks, int Channel, int Journey)>();
            var now = 100 * Day;
            for (var i = 0; i < 200; i++)
            {
                now += random.Next(0, 3) * Day / random.Next(1, 5);
                var (channel, journey) = (random.Next(3), random.Next(2));
                log.Add(now, channel, journey, keep);
                model.RemoveAll(s => now - s.Ticks >= keep);
                model.Add((now, channel, journey));

                Assert.Equal(model, log.Entries());
                Assert.Equal(model.Count, log.Length);
                var window = random.Next(1, 40) * Day;
                var (c, j) = (random.Next(-1, 3), random.Next(-1, 2));
                var at = now + (random.Next(0, 3) * Day);
                var matching = model.Where(s => at - s.Ticks >= 0 && at - s.Ticks < window && (c < 0 || s.Channel == c) && (j < 0 || s.Journey == j)).ToList();
                Assert.Equal((matching.Count, matching.Count == 0 ? long.MaxValue : matching.Min(s => s.Ticks) + window), log.Count(at, window, c, j));
            }
        });

    [Fact]
    public void EmptyLog_CountsNothing() =>
        Assert.Equal((0, long.MaxValue), default(SendLog).Count(Day, Day, -1, -1));
}
