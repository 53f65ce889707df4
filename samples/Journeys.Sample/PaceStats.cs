using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Inspection;

namespace Journeys.Sample;

/// <summary>The pace table: per tier, how many capped (marketing) messages customers received per calendar week, so an
/// operator sees at a glance that high-value customers get up to 3 a week and ordinary ones 1.</summary>
internal sealed class PaceStats(DateTimeOffset start)
{
    private readonly Dictionary<(string Customer, int Week), (string Tier, int Count)> _weeks = new();
    private readonly object _gate = new();

    public void Add(JourneyDecision d)
    {
        if (d.Kind != DecisionKind.Sent || d.Category != MessageCategory.Marketing)
        {
            return;
        }

        var week = (int)((d.Timestamp - start).TotalDays / 7);
        lock (_gate)
        {
            var key = (d.CustomerId, week);
            var count = _weeks.TryGetValue(key, out var v) ? v.Count : 0;
            _weeks[key] = (d.Tier ?? TierInfo.Default, count + 1);
        }
    }

    public void Print(TextWriter output, IEnumerable<string> tiers)
    {
        output.WriteLine($"{"messages per customer-week",-28}{"1",10}{"2",10}{"3",10}{"4+",10}{"max",8}   (weeks with at least one marketing message)");
        output.WriteLine(new string('-', 76));
        foreach (var tier in tiers)
        {
            var counts = _weeks.Values.Where(v => v.Tier == tier).Select(v => v.Count).ToList();
            if (counts.Count == 0)
            {
                continue;
            }

            string Share(Func<int, bool> bucket) => $"{100.0 * counts.Count(bucket) / counts.Count,9:F1}%";
            output.WriteLine($"{tier,-28}{Share(c => c == 1)}{Share(c => c == 2)}{Share(c => c == 3)}{Share(c => c >= 4)}{counts.Max(),8}");
        }
    }
}
