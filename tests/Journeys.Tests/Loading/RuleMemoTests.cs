using Journeys.Rules;

namespace Journeys.Tests.Loading;

public sealed class RuleMemoTests
{
    [Fact]
    public void SetResults_InlineAndBeyond_AreKnownUntilTheTraitsChange()
    {
        var memo = default(RuleMemo);
        Assert.False(memo.IsFor(0)); // a new customer's memo holds nothing yet
        memo.Reset(0);

        memo.Set(0, true, 40);
        memo.Set(31, false, 40);
        memo.Set(32, true, 40);
        memo.Set(39, false, 40);
        memo.Set(0, false, 40); // replaced

        Assert.True(memo.IsFor(0));
        Assert.Equal([(true, false), (true, false), (true, true), (true, false), (false, false)],
            new[] { 0, 31, 32, 39, 1 }.Select(i => (memo.TryGet(i, out var v), v)));

        memo.Reset(1);
        Assert.True(memo.IsFor(1));
        Assert.All(new[] { 0, 31, 32, 39 }, i => Assert.False(memo.TryGet(i, out _)));
    }
}
