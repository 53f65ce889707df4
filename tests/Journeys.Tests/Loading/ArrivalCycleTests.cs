using System.Text;
using Journeys.Decisions;
using Journeys.Diagnostics;
using Journeys.Tests.Runtime;
using Journeys.Tests.Support;

namespace Journeys.Tests.Loading;

/// <summary>Cycles of arrival-only transitions (bare gotos, <c>if:</c> branches, splits, with no event or timer between)
/// are load errors naming the cycle's steps and where each transition is; an acyclic chain of any length loads and runs
/// to its end.</summary>
public sealed class ArrivalCycleTests
{
    private static readonly DateTimeOffset T = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void BareGotos_ThroughTwoSteps_AreALoadErrorNamingTheCycle()
    {
        var catalog = Diagnose.Load("""
            journey: loop
            entry: { on: go }
            start: a
            steps:
              a:
                send: { channel: sms, template: t }
                then:
                  - goto: b
              b:
                send: { channel: email, template: t }
                then:
                  - goto: a
            """);

        var d = Diagnose.Has(catalog, Diagnose.Error, DiagnosticCodes.DeadStep, "j.yaml:8:9");
        Assert.Equal("steps 'a' (j.yaml:8:9) -> 'b' (j.yaml:12:9) -> 'a' move on at arrival in a cycle: customers would loop forever " +
                     "(an 'on' or 'after' must come between)", d.Message);
        Assert.Empty(catalog.Journeys);
    }

    [Fact]
    public void IfBranchesAndSplits_ThroughThreeSteps_AreALoadError()
    {
        var catalog = Diagnose.Load("""
            journey: loop
            entry: { on: go }
            start: a
            steps:
              a:
                then:
                  - if: "customer.x == 1"
                    goto: b
                  - after: 1d
                    goto: end
              b:
                then:
                  - split:
                      - { weight: 1, goto: c }
                      - { weight: 1, goto: end }
              c:
                then:
                  - goto: a
            """);

        var d = Diagnose.Has(catalog, Diagnose.Error, DiagnosticCodes.DeadStep, "j.yaml:7:9");
        Assert.Equal("steps 'a' (j.yaml:7:9) -> 'b' (j.yaml:14:13) -> 'c' (j.yaml:18:9) -> 'a' move on at arrival in a cycle: customers would " +
                     "loop forever (an 'on' or 'after' must come between)", d.Message);
    }

    [Fact]
    public void ACycleBrokenByAnEventOrATimer_Loads()
    {
        var catalog = Diagnose.Load("""
            journey: fine
            entry: { on: go }
            start: a
            steps:
              a:
                then:
                  - goto: b
              b:
                then:
                  - on: again
                    goto: c
                  - after: 1d
                    goto: end
              c:
                then:
                  - after: 1h
                    goto: a
            """);

        Assert.DoesNotContain(catalog.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }

    private static string Chain(int steps)
    {
        var yaml = new StringBuilder("journey: chain\nentry: { on: go }\nstart: s0\nsteps:\n");
        for (var i = 0; i < steps; i++)
        {
            yaml.Append($"  s{i}:\n    then:\n      - goto: {(i + 1 < steps ? $"s{i + 1}" : "end")}\n");
        }

        return yaml.ToString();
    }

    [Fact]
    public void AnAcyclicChainOfSeventyArrivalSteps_LoadsAndRunsToTheEnd()
    {
        var catalog = Diagnose.Load(Chain(70));
        Assert.DoesNotContain(catalog.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);

        var decisions = Sim.Run(catalog, new Script().Track("c1", "go", T), T);

        Assert.Equal(69, decisions.Count(d => d.Kind == DecisionKind.Moved));
        var completed = Assert.Single(decisions, d => d.Kind == DecisionKind.Completed);
        Assert.Equal("s69", completed.Step);
        Assert.DoesNotContain(decisions, d => d.Kind == DecisionKind.Exited);
    }

    [Fact]
    public void ALongCycle_IsFoundWithoutRecursion()
    {
        // 1,000 steps in one ring of bare gotos: found on a thread with a 1 MB stack.
        var yaml = Chain(1_000).Replace("goto: end", "goto: s0", StringComparison.Ordinal);

        var catalog = SmallStack.Run(() => Diagnose.Load(yaml));

        var d = Assert.Single(catalog.Diagnostics, d => d.Code == DiagnosticCodes.DeadStep && d.Severity == DiagnosticSeverity.Error);
        Assert.StartsWith("steps 's0' (j.yaml:7:9) -> 's1' (j.yaml:10:9) -> ", d.Message, StringComparison.Ordinal);
    }
}
