using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Journeys.State;
using Journeys.Timers;

namespace Journeys.Tests.Runtime;

/// <summary>Removing customers (erase, merge, idle eviction): the table stays a map of exactly the ids still in it, through
/// backward-shift deletion, shrinking and the compaction of long ids; a removed customer keeps its id; the timer queue
/// drops a removed customer's timers and fires the others in the same order.</summary>
public sealed class CustomerTableRemoveTests
{
    [Property(MaxTest = 60)]
    public Property Table_RandomAddsAndRemoves_HoldsExactlyTheIdsOfAPlainDictionary() =>
        Prop.ForAll(Arb.From(Gen.Choose(1, int.MaxValue - 1)), seed =>
        {
            var random = new Random(seed);
            var table = new CustomerTable();
            var model = new Dictionary<string, CustomerState>(StringComparer.Ordinal);
            for (var op = 0; op < 3_000; op++)
            {
                var n = random.Next(400);
                var id = (n % 3) switch { 0 => "c" + n, 1 => "customer-with-a-long-id-" + n, _ => "客户" + n }; // inline, long, non-ASCII
                if (random.Next(3) > 0 && !model.ContainsKey(id))
                {
                    var customer = new CustomerState(id, 1);
                    table.Set(customer);
                    model[id] = customer;
                }
                else if (model.Remove(id, out var removed))
                {
                    Assert.True(table.Remove(removed));
                    Assert.False(table.Holds(removed));
                    Assert.Equal(id, removed.Id); // holds its own id again
                    Assert.False(table.Remove(removed));
                }
            }

            Assert.Equal(model.Count, table.Count);
            Assert.All(model, kv => Assert.True(table.TryGetValue(kv.Key, out var found) && ReferenceEquals(found, kv.Value) && found.Id == kv.Key));
            Assert.All(Enumerable.Range(0, 400).Select(i => "c" + i).Where(id => !model.ContainsKey(id)), id => Assert.False(table.TryGetValue(id, out _)));
        });

    [Fact]
    public void Table_MostCustomersRemoved_Shrinks()
    {
        var table = new CustomerTable();
        var customers = Enumerable.Range(0, 10_000).Select(i => new CustomerState("customer-with-a-long-id-" + i, 1)).ToList();
        customers.ForEach(table.Set);
        var full = table.Capacity;

        customers.Skip(10).ToList().ForEach(c => table.Remove(c));

        Assert.Equal(10, table.Count);
        Assert.True(table.Capacity <= full / 64, $"{table.Capacity} slots for 10 customers (was {full})");
        Assert.All(customers.Take(10), c => Assert.True(table.TryGetValue(c.Id, out var found) && ReferenceEquals(found, c)));
    }

    [Fact]
    public void TimerQueue_RemoveWhere_DropsOneCustomersTimersAndFiresTheRestInOrder()
    {
        CustomerState a = new("a", 1), b = new("b", 1);
        var queue = new TimerQueue();
        for (var i = 0; i < 100; i++)
        {
            queue.Enqueue(new TimerEntry(100 - (i % 7), i % 2 == 0 ? a : b, 0, TimerKind.Step, i));
        }

        Assert.Equal(50, queue.RemoveWhere(e => ReferenceEquals(e.Customer, a)));

        var fired = new List<TimerEntry>();
        while (queue.TryPeek(out _))
        {
            fired.Add(queue.Dequeue());
        }

        Assert.All(fired, e => Assert.Same(b, e.Customer));
        Assert.Equal(fired.OrderBy(e => e.DueTicks).ThenBy(e => e.Token).Select(e => e.Token), fired.Select(e => e.Token)); // due, then queued order
        Assert.Equal(50, fired.Count);
    }
}
