namespace Journeys.Analytics;

/// <summary>Confidence intervals for a proportion and for the difference of two independent proportions, as the report's
/// lift uses them: Wilson's score interval for one proportion, and Newcombe's hybrid score interval (method 10 of
/// Newcombe, <i>Interval estimation for the difference between independent proportions</i>, Statistics in Medicine 17,
/// 1998) for <c>p1 - p2</c>. Method 10 is chosen because it keeps close to its nominal coverage for small counts and
/// for proportions near 0 or 1 (a 10% holdout with few conversions), stays inside [-1, 1], and is closed-form.</summary>
internal static class ProportionDifference
{
    /// <summary>The 0.975 quantile of the standard normal distribution: a two-sided 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>Wilson's score interval (no continuity correction) for <paramref name="successes"/> of
    /// <paramref name="trials"/>; <paramref name="trials"/> must be positive.</summary>
    public static (double Low, double High) Wilson(long successes, long trials, double z = Z95)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(trials);
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, trials);
        var n = (double)trials;
        var p = successes / n;
        var z2 = z * z;
        var centre = p + z2 / (2 * n);
        var half = z * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        var scale = 1 + z2 / n;
        // At p = 0 or 1 one bound is exactly 0 or 1 in exact arithmetic; clamp away the rounding.
        return (Math.Max(0, (centre - half) / scale), Math.Min(1, (centre + half) / scale));
    }

    /// <summary>Newcombe's hybrid score interval (method 10) for <c>x1/n1 - x2/n2</c>: with Wilson's intervals
    /// <c>(l1, u1)</c> and <c>(l2, u2)</c> and <c>D = p1 - p2</c>, from <c>D - sqrt((p1 - l1)² + (u2 - p2)²)</c> to
    /// <c>D + sqrt((u1 - p1)² + (p2 - l2)²)</c>. Both trial counts must be positive.</summary>
    public static (double Difference, double Low, double High) Newcombe(long x1, long n1, long x2, long n2, double z = Z95)
    {
        var (l1, u1) = Wilson(x1, n1, z);
        var (l2, u2) = Wilson(x2, n2, z);
        var p1 = (double)x1 / n1;
        var p2 = (double)x2 / n2;
        var d = p1 - p2;
        return (d,
            Math.Max(-1, d - Math.Sqrt((p1 - l1) * (p1 - l1) + (u2 - p2) * (u2 - p2))),
            Math.Min(1, d + Math.Sqrt((u1 - p1) * (u1 - p1) + (p2 - l2) * (p2 - l2))));
    }
}
