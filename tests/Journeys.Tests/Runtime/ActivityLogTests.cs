using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Journeys.State;

namespace Journeys.Tests.Runtime;

/// <summary>The packed activity log (one array per customer) against a plain model of what it promises: per slot, the
/// last time seen, and the sorted times inside the slot's window, at most <see cref="ActivityLog.MaxTimesPerSlot"/>.</summary>
public sealed class ActivityLogTests
{
    private static readonly long Day = TimeSpan.TicksPerDay;

    // Slot 0 is only last-seen (no count reads it); the others keep windows of 3 and 30 days, and slot 3 of 1 day.
    private static readonly long[] Windows = [0, 3 * Day, 30 * Day, Day];

    private sealed class Model
    {
        private readonly List<long>[] _times = Windows.Select(_ => new List<long>()).ToArray();
        private readonly long[] _last = new long[Windows.Length];

        public void Record(int slot, long ticks)
        {
            _last[slot] = Math.Max(_last[slot], ticks);
            if (Windows[slot] == 0)
            {
                return;
            }

            var times = _times[slot];
            times.RemoveAll(t => t <= ticks - Windows[slot]);
            if (times.Count == ActivityLog.MaxTimesPerSlot)
            {
                times.RemoveAt(0);
            }

            var pos = times.Count;
            while (pos > 0 && times[pos - 1] > ticks)
            {
                pos--;
            }

            times.Insert(pos, ticks);
        }

        public int Count(int slot, long now, long window) => _times[slot].Count(t => t > now - window && t <= now);

        public List<long> Times(int slot) => _times[slot];

        public long? LastSeen(int slot) => _last[slot] == 0 ? null : _last[slot];
    }

    [Property(MaxTest = 60)]
    public Property RecordsCountsAndLastSeenAsThePlainModel() =>
        Prop.ForAll(Arb.From(Gen.Choose(1, int.MaxValue - 1)), seed =>
        {
            var random = new Random(seed);
            var log = new ActivityLog();
            var model = new Model();
            var now = 1000 * Day;
            for (var n = 0; n < 400; n++)
            {
                // Mostly forward in time, sometimes bursts at one instant, sometimes back-dated.
                now += random.Next(4) switch { 0 => 0, 1 => random.Next(1, (int)(Day / 1000)) * 1000L, 2 => random.Next(1, 48) * TimeSpan.TicksPerHour, _ => 0 };
                var at = random.Next(10) == 0 ? now - (random.Next(1, 40) * Day) : now;
                var slot = random.Next(Windows.Length);
                log.Record(Windows, slot, at);
                model.Record(slot, at);
                var query = random.Next(Windows.Length);
                var window = random.Next(1, 31) * Day;
                Assert.Equal(model.Count(query, now, window), log.Count(query, now, window));
            }

            for (var slot = 0; slot < Windows.Length; slot++)
            {
                Assert.Equal(model.Times(slot), log.Times(slot));
                Assert.Equal(model.LastSeen(slot), log.LastSeen(slot));
            }
        });

    [Fact]
    public void ARingSaturatesAtTheCapAndKeepsTheNewestTimes()
    {
        var log = new ActivityLog();
        var start = 1000 * Day;
        for (var i = 0; i < ActivityLog.MaxTimesPerSlot + 100; i++)
        {
            log.Record(Windows, 2, start + i);
            log.Record(Windows, 1, start + i); // a neighbour ring grows and moves alongside
        }

        var times = log.Times(2);
        Assert.Equal(ActivityLog.MaxTimesPerSlot, times.Count);
        Assert.Equal(start + 100, times[0]);
        Assert.Equal(start + ActivityLog.MaxTimesPerSlot + 99, times[^1]);
        Assert.Equal(log.Times(2), log.Times(1));
        Assert.Equal(ActivityLog.MaxTimesPerSlot, log.Count(2, start + Day, 30 * Day));
    }

    [Fact]
    public void AnUntouchedLogHoldsNothingAndRestoresFromASnapshot()
    {
        var log = new ActivityLog();
        Assert.Equal(0, log.HeapBytes);
        Assert.Null(log.LastSeen(0));
        Assert.Equal(0, log.Count(2, Day, Day));
        Assert.Empty(log.Times(2));

        log.Restore(Windows, 0, [], 5 * Day);
        log.Restore(Windows, 2, [10 * Day, 11 * Day], 12 * Day);
        Assert.Equal(5 * Day, log.LastSeen(0));
        Assert.Equal(12 * Day, log.LastSeen(2));
        Assert.Equal([10 * Day, 11 * Day], log.Times(2));
        Assert.Equal(2, log.Count(2, 12 * Day, 30 * Day));
        Assert.Equal(1, log.Count(2, 12 * Day, 2 * Day));
    }
}
