namespace Journeys.Tests.Architecture;

/// <summary><see cref="NamespaceGraph"/> and <see cref="NamespaceCycles"/> on fixture namespaces of this assembly
/// (Fixtures/): each scenario is two namespaces under its own prefix, whose only references to each other are of one
/// kind, so a cycle is found only if that kind of reference is read.</summary>
public sealed class NamespaceGraphTests
{
    private const string Fixtures = "Journeys.Tests.Architecture.Fixtures";

    private static NamespaceGraph Scenario(string name) =>
        NamespaceGraph.Build(typeof(NamespaceGraphTests).Assembly, $"{Fixtures}.{name}");

    /// <summary>Asserts the scenario's namespaces A and B form the one cycle, that every reference between them
    /// contains each given fragment, and returns the references of A → B and B → A.</summary>
    private static (IReadOnlyList<string> AtoB, IReadOnlyList<string> BtoA) AssertCycleOfAandB(string name, params string[] fragments)
    {
        var graph = Scenario(name);
        string a = $"{Fixtures}.{name}.A", b = $"{Fixtures}.{name}.B";

        Assert.Equal([a, b], graph.Namespaces);
        Assert.Equal(0, graph.UnresolvedTokens);
        var cycle = Assert.Single(NamespaceCycles.Find(graph));
        Assert.Equal([a, b], cycle);

        var atoB = graph.References(a, b);
        var btoA = graph.References(b, a);
        Assert.NotEmpty(atoB);
        Assert.NotEmpty(btoA);
        foreach (var reference in atoB.Concat(btoA))
        {
            foreach (var fragment in fragments)
            {
                Assert.Contains(fragment, reference, StringComparison.Ordinal);
            }
        }

        return (atoB, btoA);
    }

    [Fact]
    public void Cycle_MadeOnlyByNewInMethodBodies_IsFound()
    {
        var (atoB, btoA) = AssertCycleOfAandB("BodyNew", "[body]");

        Assert.Equal([$"{Fixtures}.BodyNew.A.Source.Make [body] → {Fixtures}.BodyNew.B.Target"], atoB);
        Assert.Equal([$"{Fixtures}.BodyNew.B.Source.Make [body] → {Fixtures}.BodyNew.A.Target"], btoA);
    }

    [Fact]
    public void Cycle_MadeOnlyByStaticCalls_IsFound()
    {
        var (atoB, _) = AssertCycleOfAandB("StaticCall", ".Caller.Call [body] → ", ".Helper");

        Assert.Equal([$"{Fixtures}.StaticCall.A.Caller.Call [body] → {Fixtures}.StaticCall.B.Helper"], atoB);
    }

    [Fact]
    public void Cycle_MadeOnlyInsideLambdaClosures_IsFoundAndCountsForTheOutermostType()
    {
        var (atoB, _) = AssertCycleOfAandB("Closure", ".Caller+<>c__DisplayClass", "<Later>b__", "[body]");

        Assert.StartsWith($"{Fixtures}.Closure.A.Caller+", Assert.Single(atoB), StringComparison.Ordinal);
    }

    [Fact]
    public void Cycle_MadeOnlyInsideAsyncStateMachines_IsFound()
    {
        var (atoB, _) = AssertCycleOfAandB("AsyncMachine", ".Caller+<Run>d__", ".MoveNext [body]");

        Assert.EndsWith($" → {Fixtures}.AsyncMachine.B.Helper", Assert.Single(atoB), StringComparison.Ordinal);
    }

    [Fact]
    public void Cycle_MadeOnlyInsideIterators_IsFound()
    {
        AssertCycleOfAandB("Iterator", ".Caller+<Values>d__", "[body]");
    }

    [Fact]
    public void Cycle_MadeOnlyByFieldTypes_IsFoundThroughArraysToo()
    {
        var (atoB, btoA) = AssertCycleOfAandB("FieldType", "[field]");

        Assert.Equal([$"{Fixtures}.FieldType.A.Holder.Target [field] → {Fixtures}.FieldType.B.Target"], atoB);
        Assert.Equal([$"{Fixtures}.FieldType.B.Holder.Targets [field] → {Fixtures}.FieldType.A.Target"], btoA);
    }

    [Fact]
    public void Cycle_MadeOnlyByTypeofAndAGenericMethodArgument_IsFound()
    {
        var (atoB, btoA) = AssertCycleOfAandB("Tokens", "[body]");

        Assert.Equal([$"{Fixtures}.Tokens.A.User.Name [body] → {Fixtures}.Tokens.B.Marker"], atoB);
        Assert.Equal([$"{Fixtures}.Tokens.B.User.Count [body] → {Fixtures}.Tokens.A.Marker"], btoA);
    }

    [Fact]
    public void Cycle_InGenericMethodsOfGenericTypes_IsFoundWithEveryTokenResolved()
    {
        var (atoB, btoA) = AssertCycleOfAandB("GenericContext", ".Box`1.Fill [body] → ", ".Target`1");

        Assert.Single(atoB);
        Assert.Single(btoA);
    }

    [Fact]
    public void OneWayChain_HasItsEdgesAndNoCycle()
    {
        var graph = Scenario("Chain");
        string first = $"{Fixtures}.Chain.First", second = $"{Fixtures}.Chain.Second", third = $"{Fixtures}.Chain.Third";

        Assert.Equal([first, second, third], graph.Namespaces);
        Assert.Equal([(first, second), (second, third)], graph.Edges.Select(e => (e.From, e.To)));
        Assert.Equal(
            [$"{first}.Top.Depth [body] → {second}.Middle", $"{first}.Top.Middle [field] → {second}.Middle"],
            graph.References(first, second));
        Assert.Empty(NamespaceCycles.Find(graph));
        Assert.Equal("", NamespaceCycles.Describe(graph));
    }

    [Fact]
    public void Describe_ListsEachCycleWithItsEdgesAndExampleReferences()
    {
        var text = NamespaceCycles.Describe(Scenario("BodyNew"));

        var expected = string.Join(
            Environment.NewLine,
            $"1 namespace cycle(s) in Journeys.Tests (namespaces under '{Fixtures}.BodyNew'):",
            "",
            $"Cycle 1: {Fixtures}.BodyNew.A, {Fixtures}.BodyNew.B (2 namespaces, 2 edges)",
            $"  {Fixtures}.BodyNew.A → {Fixtures}.BodyNew.B: 1 reference(s) to Target (1)",
            $"      {Fixtures}.BodyNew.A.Source.Make [body] → {Fixtures}.BodyNew.B.Target",
            $"  {Fixtures}.BodyNew.B → {Fixtures}.BodyNew.A: 1 reference(s) to Target (1)",
            $"      {Fixtures}.BodyNew.B.Source.Make [body] → {Fixtures}.BodyNew.A.Target",
            "");
        Assert.Equal(expected, text);
    }

    [Fact]
    public void EdgeExamples_PreferHandWrittenSitesAndOneReferencePerTargetType()
    {
        var edge = new NamespaceEdge("N.A", "N.B", [
            "N.A.Host+<>c.<Run>b__0_0 [body] → N.B.Late",
            "N.A.Host.Field [field] → N.B.One",
            "N.A.Host.Method [body] → N.B.One",
            "N.A.Host.Method [signature] → N.B.Two",
        ]);

        Assert.Equal(["N.A.Host.Field [field] → N.B.One", "N.A.Host.Method [signature] → N.B.Two", "N.A.Host+<>c.<Run>b__0_0 [body] → N.B.Late"], edge.Examples(3));
        Assert.Equal(["N.A.Host.Field [field] → N.B.One", "N.A.Host.Method [signature] → N.B.Two", "N.A.Host+<>c.<Run>b__0_0 [body] → N.B.Late", "N.A.Host.Method [body] → N.B.One"], edge.Examples(9));
        Assert.Equal("N.A.Host.Field [field] → N.B.One", edge.Example);
        Assert.Equal([("N.B.One", 2), ("N.B.Late", 1), ("N.B.Two", 1)], edge.Targets);
    }

    [Fact]
    public void AllFixtures_TogetherHaveOneCyclePerTwoWayScenario()
    {
        var graph = NamespaceGraph.Build(typeof(NamespaceGraphTests).Assembly, Fixtures);

        Assert.Equal(0, graph.UnresolvedTokens);
        Assert.Equal(
            ["AsyncMachine", "BodyNew", "Closure", "FieldType", "GenericContext", "Iterator", "StaticCall", "Tokens"],
            NamespaceCycles.Find(graph).Select(c => c[0].Split('.')[^2]));
    }

    [Fact]
    public void StronglyConnectedComponents_SplitsAGraphIntoItsCyclesAndSingleNodes()
    {
        var edges = new Dictionary<string, string[]>
        {
            ["a"] = ["b"],
            ["b"] = ["c"],
            ["c"] = ["a", "d"],
            ["d"] = ["e"],
            ["e"] = ["d"],
            ["f"] = ["a"],
            ["g"] = [],
        };

        var components = NamespaceCycles.StronglyConnectedComponents(edges.Keys, n => edges[n]);

        Assert.Equal(
            ["a b c", "d e", "f", "g"],
            components.Select(c => string.Join(' ', c.Order(StringComparer.Ordinal))).Order(StringComparer.Ordinal));
    }
}
