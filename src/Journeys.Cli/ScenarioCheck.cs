using Journeys.Decisions;

namespace Journeys.Cli;

/// <summary>A scenario's verdict: each expected decision must be among the run's decisions (each actual decision
/// answers one expectation at most), no forbidden one may be; the report is a diff an operator can read.</summary>
internal sealed record ScenarioResult(Scenario Scenario, List<string> Diff)
{
    public bool Passed => Diff.Count == 0;
}

internal static class ScenarioCheck
{
    public static ScenarioResult Check(Scenario scenario, IReadOnlyList<JourneyDecision> decisions)
    {
        var diff = new List<string>();
        var used = new bool[decisions.Count];
        foreach (var expected in scenario.Expected)
        {
            var found = -1;
            for (var i = 0; i < decisions.Count && found < 0; i++)
            {
                if (!used[i] && Matches(expected, decisions[i]))
                {
                    found = i;
                }
            }

            if (found >= 0)
            {
                used[found] = true;
                continue;
            }

            diff.Add($"- expected  {expected}   ({expected.Where})");
            var nearest = Nearest(expected, decisions);
            diff.Add(nearest is null
                ? $"+ actual    nothing for {expected.Customer} in {expected.Journey}"
                : $"+ actual    {Describe(nearest)}   (differs in {string.Join(", ", Differences(expected, nearest))})");
        }

        foreach (var forbidden in scenario.Forbidden)
        {
            foreach (var happened in decisions.Where(d => Matches(forbidden, d)))
            {
                diff.Add($"! forbidden {forbidden}   ({forbidden.Where})");
                diff.Add($"+ actual    {Describe(happened)}");
            }
        }

        return new ScenarioResult(scenario, diff);
    }

    public static string Describe(JourneyDecision d) => new DecisionPattern("")
    {
        Time = d.Timestamp, Customer = d.CustomerId, Journey = d.JourneyId, Step = d.Step, Decision = d.KindName,
        Channel = d.Channel, Template = d.Template, Reason = d.Reason, Case = d.Case,
    }.ToString();

    private static bool Matches(DecisionPattern p, JourneyDecision d) => Differences(p, d).Count == 0;

    private static List<string> Differences(DecisionPattern p, JourneyDecision d)
    {
        var differences = new List<string>();
        void Compare(string field, string? expected, string? actual)
        {
            if (expected is not null && !string.Equals(expected, actual, StringComparison.Ordinal))
            {
                differences.Add(field);
            }
        }

        Compare("customer", p.Customer, d.CustomerId);
        Compare("journey", p.Journey, d.JourneyId);
        Compare("step", p.Step, d.Step);
        Compare("decision", p.Decision, d.KindName);
        if (p.Time is { } t && t != d.Timestamp)
        {
            differences.Add("time");
        }

        Compare("channel", p.Channel, d.Channel);
        Compare("template", p.Template, d.Template);
        Compare("reason", p.Reason, d.Reason);
        Compare("case", p.Case, d.Case);
        return differences;
    }

    /// <summary>The actual decision of the same customer and journey closest to what was expected: fewest differing
    /// fields, then nearest in time; null when that customer has no decision in that journey.</summary>
    private static JourneyDecision? Nearest(DecisionPattern expected, IReadOnlyList<JourneyDecision> decisions) =>
        decisions
            .Where(d => d.CustomerId == expected.Customer && d.JourneyId == expected.Journey)
            .OrderBy(d => Differences(expected, d).Count)
            .ThenBy(d => expected.Time is { } t ? Math.Abs((d.Timestamp - t).Ticks) : 0)
            .FirstOrDefault();
}
