using Journeys.Engine;
using Journeys.State;

namespace Journeys.Tests.Runtime;

public sealed class EventChunkPoolTests
{
    [Fact]
    public void Return_ClearsTheChunkAndKeepsAtMostTheCapacity()
    {
        var pool = new EventChunkPool(capacity: 1);
        var first = pool.Rent();
        var second = pool.Rent();
        Assert.NotSame(first, second);
        first.Events[0] = new CustomerEvent("c1", "login");
        first.Count = 1;

        pool.Return(first);
        pool.Return(second); // beyond the capacity: dropped

        Assert.Equal(0, first.Count);
        Assert.Null(first.Events[0]); // a pooled chunk keeps no event alive
        Assert.Same(first, pool.Rent());
        Assert.NotSame(second, pool.Rent());
    }
}
