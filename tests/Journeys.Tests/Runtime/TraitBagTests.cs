using Journeys.State;

namespace Journeys.Tests.Runtime;

public sealed class TraitBagTests
{
    [Fact]
    public void SetsReplacesRemovesAndKeepsTheOrderTraitsWereFirstSet()
    {
        var bag = default(TraitBag);
        Assert.Equal(0, bag.Count);
        Assert.Empty(bag.ToList());
        Assert.False(bag.TryGetValue("tier", out _));
        Assert.False(bag.Remove("tier"));

        bag["a"] = Value.Number(1);
        bag["b"] = Value.String("x");
        bag["c"] = Value.True; // grows past the first two places
        bag["a"] = Value.Number(2); // replaces in place
        Assert.Equal(3, bag.Count);
        Assert.Equal(["a", "b", "c"], bag.Select(kv => kv.Key));
        Assert.Equal(Value.Number(2), bag["a"]);

        // A name equal in characters but a different string instance finds the same trait.
        Assert.True(bag.TryGetValue(new string("b".AsSpan()), out var b));
        Assert.Equal(Value.String("x"), b);

        Assert.True(bag.Remove("b"));
        Assert.Equal(["a", "c"], bag.Select(kv => kv.Key));
        Assert.Throws<KeyNotFoundException>(() => bag["b"]);
        bag["d"] = Value.Null;
        Assert.Equal(["a", "c", "d"], bag.Select(kv => kv.Key));
    }
}
