namespace Journeys.Diagnostics;

/// <summary>"Did you mean" suggestions: the closest candidate by edit distance, if it is close enough to help. Bounded by
/// the input's lengths, whatever they are: names longer than <see cref="MaxLength"/> get no suggestion, a candidate whose
/// length differs by more than the threshold is skipped unseen, and the distance is computed in a band of the threshold's
/// width, three rows at a time, stopping as soon as the threshold is passed.</summary>
internal static class Suggest
{
    /// <summary>Names longer than this get no suggestion and are suggested for nothing.</summary>
    public const int MaxLength = 128;

    public static string? Closest(string word, IEnumerable<string> candidates)
    {
        if (word.Length > MaxLength)
        {
            return null;
        }

        var threshold = Math.Max(1, Math.Min(3, word.Length / 3));
        var lower = word.ToLowerInvariant();
        string? best = null;
        var bestDistance = threshold + 1;
        foreach (var candidate in candidates)
        {
            if (candidate.Length > MaxLength || Math.Abs(candidate.Length - word.Length) >= bestDistance)
            {
                continue;
            }

            var d = Distance(lower, candidate.ToLowerInvariant(), bestDistance - 1);
            if (d < bestDistance)
            {
                (best, bestDistance) = (candidate, d);
            }
        }

        return best;
    }

    /// <summary>Optimal string alignment distance (Levenshtein with transpositions) when it is at most
    /// <paramref name="max"/>; otherwise some number over <paramref name="max"/>. Costs O(length × max) time and
    /// O(length) memory.</summary>
    public static int Distance(string a, string b, int max = int.MaxValue)
    {
        max = Math.Min(max, Math.Max(a.Length, b.Length));
        var over = max + 1;
        if (Math.Abs(a.Length - b.Length) > max)
        {
            return over;
        }

        var n = b.Length;
        var before = new int[n + 1]; // row i - 2
        var previous = new int[n + 1]; // row i - 1
        var current = new int[n + 1];
        for (var j = 0; j <= n; j++)
        {
            previous[j] = Math.Min(j, over);
        }

        for (var i = 1; i <= a.Length; i++)
        {
            // Only cells within `max` of the diagonal can be within `max`; the cells just outside the band are set to
            // `over`, so the next row reads no stale value.
            var lo = Math.Max(1, i - max);
            var hi = Math.Min(n, i + max);
            current[0] = Math.Min(i, over);
            current[lo - 1] = lo > 1 ? over : current[0];
            var rowMin = current[lo - 1];
            for (var j = lo; j <= hi; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var d = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d = Math.Min(d, before[j - 2] + 1);
                }

                current[j] = Math.Min(d, over);
                rowMin = Math.Min(rowMin, current[j]);
            }

            if (hi < n)
            {
                current[hi + 1] = over;
            }

            if (rowMin > max)
            {
                return over; // no later cell comes back within `max`: each is built from this row, or from the one before plus one
            }

            (before, previous, current) = (previous, current, before);
        }

        return previous[n];
    }
}
