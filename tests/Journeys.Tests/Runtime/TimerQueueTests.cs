using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Journeys.State;
using Journeys.Timers;

namespace Journeys.Tests.Runtime;

/// <summary>The timer heap against a plain model of what it promises: timers fire by due time, and among timers due at
/// the same time in the order they were queued; one customer's due timers are taken out of that order through the
/// index by customer, in the same order among themselves; across the index being built and dropped and the renumbering
/// of sequence numbers.</summary>
public sealed class TimerQueueTests
{
    private static readonly CustomerState[] Customers = [new("a", 3), new("b", 3), new("c", 3)];

    [Property(MaxTest = 120)]
    public Property FiresInDueThenQueuedOrderAsThePlainModel() =>
        Prop.ForAll(Arb.From(Gen.Choose(1, int.MaxValue - 1)), Arb.From(Gen.Elements(0u, uint.MaxValue - 40)), (seed, firstSequence) =>
        {
            var random = new Random(seed);
            var queue = new TimerQueue(firstSequence);
            var model = new List<(long Due, long Token)>(); // in queued order; the customer is Customers[token % 3]
            long token = 0;
            for (var op = 0; op < 400; op++)
            {
                var roll = random.Next(20);
                if (roll < 9)
                {
                    var due = random.Next(20); // few distinct times: many ties
                    token++;
                    queue.Enqueue(new TimerEntry(due, Customers[token % 3], (int)(token % 3), (TimerKind)(token % 5), token));
                    model.Add((due, token));
                }
                else if (roll < 14)
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
                    Assert.Same(Customers[fired.Token % 3], fired.Customer);
                    Assert.Equal((int)(fired.Token % 3), fired.Journey);
                    Assert.Equal((TimerKind)(fired.Token % 5), fired.Kind);
                    model.Remove(expected);
                }
                else if (roll < 18)
                {
                    queue.IndexByCustomer();
                    var customer = random.Next(3);
                    var now = random.Next(20);
                    var expected = model.Where(t => t.Token % 3 == customer && t.Due <= now).OrderBy(t => t.Due).Select(t => (long?)t.Token).FirstOrDefault();
                    var taken = queue.TryTakeDueOf(Customers[customer], now, out var entry);
                    Assert.Equal(expected, taken ? entry.Token : null);
                    model.RemoveAll(t => t.Token == expected);
                }
                else if (roll == 18)
                {
                    queue.DropCustomerIndex();
                    Assert.False(queue.IsIndexedByCustomer);
                }
                else
                {
                    queue.IndexByCustomer();
                    Assert.True(queue.IsIndexedByCustomer);
                }

                Assert.Equal(model.Count, queue.Count);
            }

            while (queue.Count > 0)
            {
                var expected = model.OrderBy(t => t.Due).First();
                Assert.Equal(expected.Token, queue.Dequeue().Token);
                model.Remove(expected);
            }

            Assert.False(queue.TryPeek(out _));
        });

    [Fact]
    public void TryTakeDueOf_TakenTimer_IsSkippedWhenItReachesTheTopAndDroppedWithTheIndex()
    {
        var queue = new TimerQueue();
        queue.Enqueue(new TimerEntry(5, Customers[0], 0, TimerKind.Step, 1));
        queue.Enqueue(new TimerEntry(3, Customers[1], 0, TimerKind.Step, 2));
        queue.Enqueue(new TimerEntry(9, Customers[0], 0, TimerKind.Step, 3));
        queue.IndexByCustomer();

        Assert.True(queue.TryTakeDueOf(Customers[0], 10, out var first));
        Assert.True(queue.TryTakeDueOf(Customers[0], 10, out var second));
        Assert.False(queue.TryTakeDueOf(Customers[0], 10, out _));
        Assert.False(queue.TryTakeDueOf(Customers[2], 10, out _)); // a customer with no timers
        Assert.Equal((1L, 3L, 1), (first.Token, second.Token, queue.Count));
        Assert.Equal(2, queue.Dequeue().Token);
        Assert.False(queue.TryPeek(out _));

        queue.Enqueue(new TimerEntry(20, Customers[1], 0, TimerKind.Step, 4));
        queue.Enqueue(new TimerEntry(30, Customers[1], 0, TimerKind.Step, 5));
        Assert.True(queue.TryTakeDueOf(Customers[1], 40, out var early));
        queue.DropCustomerIndex(); // the taken one is still in the heap, below the top: removed now
        Assert.Equal((4L, 1), (early.Token, queue.Count));
        Assert.Equal(5, queue.Dequeue().Token);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void TryTakeDueOf_WithoutTheIndex_Throws() =>
        Assert.Throws<InvalidOperationException>(() => new TimerQueue().TryTakeDueOf(Customers[0], 0, out _));

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
