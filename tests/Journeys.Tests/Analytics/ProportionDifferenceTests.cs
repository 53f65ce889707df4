using Journeys.Analytics;

namespace Journeys.Tests.Analytics;

/// <summary>The lift's confidence interval is Newcombe's hybrid score interval (method 10): checked against the worked
/// values Newcombe published (Statistics in Medicine 17, 1998, Table II, method 10) for his eight examples.</summary>
public sealed class ProportionDifferenceTests
{
    [Theory]
    [InlineData(56, 70, 48, 80, 0.0524, 0.3339)]
    [InlineData(9, 10, 3, 10, 0.1705, 0.8090)]
    [InlineData(6, 7, 2, 7, 0.0582, 0.8062)]
    [InlineData(5, 56, 0, 29, -0.0381, 0.1926)]
    [InlineData(0, 10, 0, 20, -0.1611, 0.2775)]
    [InlineData(0, 10, 0, 10, -0.2775, 0.2775)]
    [InlineData(10, 10, 0, 20, 0.6791, 1.0000)]
    [InlineData(10, 10, 0, 10, 0.6075, 1.0000)]
    public void Newcombe_PublishedExamples_GiveThePublishedInterval(long x1, long n1, long x2, long n2, double low, double high)
    {
        var (difference, l, h) = ProportionDifference.Newcombe(x1, n1, x2, n2);

        Assert.Equal((double)x1 / n1 - (double)x2 / n2, difference, 12);
        Assert.Equal(low, Math.Round(l, 4));
        Assert.Equal(high, Math.Round(h, 4));
    }

    [Fact]
    public void Wilson_NoSuccesses_StartsAtZeroAndIsNotEmpty()
    {
        var (low, high) = ProportionDifference.Wilson(0, 10);

        Assert.Equal(0, low);
        Assert.Equal(0.2775, Math.Round(high, 4)); // Newcombe's single-proportion table: 0/10 gives 0 to 0.2775
    }

    [Fact]
    public void Wilson_NoTrials_IsAProgrammingError()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ProportionDifference.Wilson(0, 0));
    }
}
