using Journeys.Decisions;
using static Journeys.Tests.Runtime.Sim;

namespace Journeys.Tests.Runtime;

/// <summary><c>split:</c> a random split decided on arrival, stable per customer and journey version, proportional to the
/// weights over many customers, and independent between journeys and versions.</summary>
public sealed class SplitTests
{
    private const int Customers = 10_000;

    private static string Split(string id = "split-test", int version = 1, string weights = "70, 20, 10", string reentry = "never")
    {
        var w = weights.Split(',').Select(s => s.Trim()).ToArray();
        var targets = new[] { "a", "b", "holdout" }.Take(w.Length).ToArray();
        var branches = string.Join(", ", w.Select((weight, i) => $"{{ weight: {weight}, goto: {targets[i]} }}"));
        return $$"""
            journey: {{id}}
            version: {{version}}
            entry: { on: signed_up }
            reentry: {{reentry}}
            start: pick
            steps:
              pick:
                then:
                  - split: [ {{branches}} ]
            {{string.Join("\n", targets.Select(t => $"  {t}:"))}}
            """;
    }

    /// <summary>The branch (step moved to from <c>pick</c>) each customer took.</summary>
    private static Dictionary<string, string> Branches(string journey, int customers = Customers)
    {
        var script = new Script();
        for (var i = 0; i < customers; i++)
        {
            script.Track($"customer-{i}", "signed_up", T);
        }

        return Run(journey, script, T)
            .Where(d => d.Kind == DecisionKind.Moved && d.From == "pick")
            .ToDictionary(d => d.CustomerId, d => d.Step);
    }

    [Fact]
    public void Split_OneCustomer_MovesToTheBranchWithItsIndexAsReasonAndCompletesThere()
    {
        var lines = Lines(Run(Split(weights: "1, 1"), new Script().Track("c1", "signed_up", T), T));

        Assert.Equal(3, lines.Count);
        Assert.Equal("2026-01-05T10:00:00Z c1 entered pick (on signed_up)", lines[0]);
        Assert.Matches(@"^2026-01-05T10:00:00Z c1 moved (a from pick \(split 1/2\)|b from pick \(split 2/2\))$", lines[1]);
        Assert.Equal($"2026-01-05T10:00:00Z c1 completed {lines[1].Split(' ')[3]}", lines[2]);
    }

    [Fact]
    public void Split_SameCustomersRunTwice_TakeTheSameBranches()
    {
        var first = Branches(Split(), 2_000);
        var second = Branches(Split(), 2_000);

        Assert.Equal(2_000, first.Count);
        Assert.Equal(first.OrderBy(kv => kv.Key), second.OrderBy(kv => kv.Key));
    }

    [Fact]
    public void Split_CustomerReenteringTheSameVersion_TakesTheSameBranchEveryTime()
    {
        var script = new Script();
        for (var i = 0; i < 200; i++)
        {
            for (var day = 0; day < 5; day++)
            {
                script.Track($"customer-{i}", "signed_up", T.AddDays(day));
            }
        }

        var branches = Run(Split(reentry: "always"), script, T.AddDays(5))
            .Where(d => d.Kind == DecisionKind.Moved)
            .GroupBy(d => d.CustomerId)
            .ToList();

        Assert.Equal(200, branches.Count);
        Assert.All(branches, g => Assert.Equal(5, g.Count()));
        Assert.All(branches, g => Assert.Single(g.Select(d => d.Step).Distinct()));
    }

    [Fact]
    public void Split_10000Customers_DistributeInProportionToTheWeights()
    {
        var counts = Branches(Split(weights: "70, 20, 10")).Values.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(Customers, counts.Values.Sum());
        Assert.InRange(counts["a"], 6_800, 7_200);       // 70% ± 2 points (about 4.4 standard deviations)
        Assert.InRange(counts["b"], 1_830, 2_170);       // 20% ± 1.7 points
        Assert.InRange(counts["holdout"], 880, 1_120);   // 10% ± 1.2 points
    }

    [Fact]
    public void Split_UnevenWeightsThatAreNotPercentages_AreProportional()
    {
        var counts = Branches(Split(weights: "1, 3")).Values.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());

        Assert.InRange(counts["a"], 2_300, 2_700);       // 25% ± 2 points
        Assert.InRange(counts["b"], 7_300, 7_700);
    }

    [Fact]
    public void Split_TwoVersionsOfTheSameJourney_AssignCustomersIndependently()
    {
        var v1 = Branches(Split(version: 1, weights: "50, 50"));
        var v2 = Branches(Split(version: 2, weights: "50, 50"));

        var agreement = v1.Count(kv => v2[kv.Key] == kv.Value) / (double)Customers;

        Assert.InRange(agreement, 0.47, 0.53); // independent fair coins agree half the time
    }

    [Fact]
    public void Split_TwoJourneys_AssignCustomersIndependently()
    {
        var one = Branches(Split(id: "split-one", weights: "50, 50"));
        var two = Branches(Split(id: "split-two", weights: "50, 50"));

        var agreement = one.Count(kv => two[kv.Key] == kv.Value) / (double)Customers;

        Assert.InRange(agreement, 0.47, 0.53);
    }

    [Fact]
    public void Split_TwoJourneysInOneCatalog_EachCustomerTakesTheSameBranchAsInEitherAlone()
    {
        var script = new Script();
        for (var i = 0; i < 1_000; i++)
        {
            script.Track($"customer-{i}", "signed_up", T);
        }

        var together = Run(Load(Split(id: "split-one"), Split(id: "split-two")), script, T)
            .Where(d => d.Kind == DecisionKind.Moved)
            .ToDictionary(d => (d.JourneyId, d.CustomerId), d => d.Step);
        var alone = Branches(Split(id: "split-two"), 1_000);

        Assert.All(alone, kv => Assert.Equal(kv.Value, together[("split-two", kv.Key)]));
    }
}
