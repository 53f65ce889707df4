using Journeys.State;

namespace Journeys.Tests.Loading;

public sealed class RuleMemoTests
{
    [Fact]
    public void SetResults_InlineAndBeyond_AreKnownUntilCleared()
    {
        var memo = default(RuleMemo);
        Assert.False(memo.TryGet(0, out _)); // a new customer's memo holds nothing yet

        memo.Set(0, true, 40);
        memo.Set(31, false, 40);
        memo.Set(32, true, 40);
        memo.Set(39, false, 40);
        memo.Set(0, false, 40); // replaced

        Assert.Equal([(true, false), (true, false), (true, true), (true, false), (false, false)],
            new[] { 0, 31, 32, 39, 1 }.Select(i => (memo.TryGet(i, out var v), v)));

        memo.Clear();
        Assert.All(new[] { 0, 31, 32, 39 }, i => Assert.False(memo.TryGet(i, out _)));
        Assert.Equal(16, System.Runtime.CompilerServices.Unsafe.SizeOf<RuleMemo>());
    }
}
