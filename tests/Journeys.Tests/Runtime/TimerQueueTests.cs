using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Journeys.Runtime;

namespace Journeys.Tests.Runtime;

/// <summary>The timer heap against a plain model of what it promises: timers fire by due time, and among timers due at
/// the same time in the order they were queued, across removals and the renumbering of sequence numbers.</summary>
public sealed class TimerQueueTests
{
    private static readonly CustomerState[] Customers = [new("a", 3), new("b", 3)];

    [Property(MaxTest = 80)]
    public Property FiresInDueThenQueuedOrderAsThePlainModel() =>
        Prop.ForAll(Arb.From(Gen.Choose(1, int.MaxValue - 1)), Arb.From(Gen.Elements(0u, uint.MaxValue - 40)), (seed, firstSequence) =>
        {
            var random = new Random(seed);
            var queue = new TimerQueue(firstSequence);
            var model = new List<(long Due, long Token)>(); // in queued order
            long token = 0;
            for (var op = 0; op < 400; op++)
            {
                var roll = random.Next(10);
                if (roll < 5)
                {
                    var due = random.Next(20); // few distinct times: many ties
                    token++;
                    queue.Enqueue(new TimerEntry(due, Customers[token % 2], (int)(token % 3), (TimerKind)(token % 5), token));
                    model.Add((due, token));
                }
                else if (roll < 8)
                {
                    var hasFirst = queue.TryPeek(out var peeked);
                    Assert.Equal(model.Count > 0, hasFirst);
                    if (model.Count == 0)
                    {
                        continue;
                    }

                    var expected = model.OrderBy(t => t.Due).First(); // OrderBy is stable: queued order among ties
                    Assert.Equal(expected.Token, peeked.Token);
                    var fired = queue.Dequeue();
                    Assert.Equal(expected, (fired.DueTicks, fired.Token));
                    Assert.Same(Customers[fired.Token % 2], fired.Customer);
                    Assert.Equal((int)(fired.Token % 3), fired.Journey);
                    Assert.Equal((TimerKind)(fired.Token % 5), fired.Kind);
                    model.Remove(expected);
                }
                else if (model.Count > 0)
                {
                    var index = random.Next(queue.Count);
                    var removed = queue.Unordered[index].Token;
                    queue.RemoveAt(index);
                    model.RemoveAll(t => t.Token == removed);
                }

                Assert.Equal(model.Count, queue.Count);
                Assert.Equal(model.Select(t => t.Token).Order(), queue.Unordered.ToArray().Select(t => t.Token).Order());
            }

            while (queue.Count > 0)
            {
                var expected = model.OrderBy(t => t.Due).First();
                Assert.Equal(expected.Token, queue.Dequeue().Token);
                model.Remove(expected);
            }
        });

    [Fact]
    public void Entry_TakesThirtyTwoBytes_AndKeepsLargeJourneyIndexes()
    {
        Assert.Equal(32, System.Runtime.CompilerServices.Unsafe.SizeOf<TimerEntry>());
        var entry = new TimerEntry(5, Customers[0], TimerEntry.MaxJourney, TimerKind.Migration, -1);
        Assert.Equal((TimerEntry.MaxJourney, TimerKind.Migration, -1L), (entry.Journey, entry.Kind, entry.Token));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TimerEntry(5, Customers[0], TimerEntry.MaxJourney + 1, TimerKind.Step, 0));
    }

    [Fact]
    public void Dequeue_OnEmptyQueue_Throws() => Assert.Throws<InvalidOperationException>(() => new TimerQueue().Dequeue());
}
