using Journeys.State;

namespace Journeys.Tests.Runtime;

/// <summary>The process-wide numbering of time zones and tiers that lets a customer keep two bytes for each.</summary>
public sealed class SmallIndexTests
{
    [Fact]
    public void NumberOf_SameValueTwice_GivesTheSameNumberAndTheNumberGivesTheValueBack()
    {
        var index = new SmallIndex<string>("first", StringComparer.Ordinal);

        var a = index.NumberOf("a");
        var b = index.NumberOf("b");

        Assert.Equal((0, 1, 2), (index.NumberOf("first"), a, b));
        Assert.Equal(a, index.NumberOf(new string(['a']))); // equal by the comparer, another instance
        Assert.Equal(("first", "a", "b"), (index[0], index[a], index[b]));
    }

    [Fact]
    public void NumberOf_ManyThreadsMeetingTheSameValues_AgreeOnOneNumberEach()
    {
        var index = new SmallIndex<string>("first", StringComparer.Ordinal);
        var values = Enumerable.Range(0, 500).Select(i => $"v{i}").ToArray();
        var seen = new ushort[8][];

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t =>
        {
            var order = values.OrderBy(v => HashCode.Combine(v, t)).ToArray(); // each thread meets them in its own order
            seen[t] = new ushort[values.Length];
            foreach (var v in order)
            {
                seen[t][Array.IndexOf(values, v)] = index.NumberOf(v);
            }
        });

        Assert.All(seen, numbers => Assert.Equal(seen[0], numbers));
        Assert.Equal(values.Length, seen[0].Distinct().Count());
        Assert.All(Enumerable.Range(0, values.Length), i => Assert.Equal(values[i], index[seen[0][i]]));
    }

    [Fact]
    public void NumberOf_BeyondSixteenBits_ThrowsNamingTheLimit()
    {
        var index = new SmallIndex<string>("first", StringComparer.Ordinal);
        for (var i = 1; i <= ushort.MaxValue; i++)
        {
            index.NumberOf(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var ex = Assert.Throws<InvalidOperationException>(() => index.NumberOf("one too many"));
        Assert.Contains("65536", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Customer_ByDefault_IsInUtcAndTheDefaultTier_AndKeepsWhatIsSet()
    {
        var registry = new CustomerRegistry();
        var customer = new CustomerState("c1", 3);
        Assert.Same(TimeZoneInfo.Utc, customer.TimeZoneIn(registry));
        Assert.Equal("default", customer.TierIn(registry));

        var shanghai = TimeZones.Find("Asia/Shanghai");
        customer.SetTimeZone(registry, shanghai);
        customer.SetTier(registry, "high-value");

        Assert.Same(shanghai, customer.TimeZoneIn(registry));
        Assert.Equal("high-value", customer.TierIn(registry));
    }

    [Fact]
    public void Registries_OfTwoEngines_NumberTheirValuesApart()
    {
        var (first, second) = (new CustomerRegistry(), new CustomerRegistry());
        first.Tiers.NumberOf("gold");
        first.Tiers.NumberOf("silver");

        Assert.Equal(1, second.Tiers.NumberOf("silver")); // not 2: the first engine's tiers are not the second's
        Assert.Equal("silver", second.Tiers[1]);
        Assert.Equal("gold", first.Tiers[1]);
    }

    [Fact]
    public async Task Engines_TwoInOneProcessWithDifferentTiers_EachReportsItsOwn()
    {
        // Two engines whose policies name different tiers: each customer's decisions carry its own engine's tier names.
        static string Policy(string tier) => $"policy:\n  tiers:\n    {tier}: \"true\"\n";
        const string Journey = """
            journey: hello
            entry: { on: joined }
            start: hi
            steps:
              hi:
                send: { channel: push, template: hello }
            """;
        var tiers = new List<string?>();
        foreach (var tier in new[] { "gold", "silver" })
        {
            var catalog = Journeys.Language.Loading.JourneyLoader.LoadYaml(("hello.yaml", Journey), ("policy.yaml", Policy(tier)));
            var decisions = Sim.Run(catalog, new Script().Track("c1", "joined", Sim.T), Sim.T.AddHours(1));
            tiers.Add(decisions.Single(d => d.Kind == Journeys.Decisions.DecisionKind.Sent).Tier);
        }

        Assert.Equal(["gold", "silver"], tiers);
        await Task.CompletedTask;
    }
}
