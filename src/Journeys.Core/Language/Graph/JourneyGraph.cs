using Journeys.Language.Definitions;
using Stateless.Graph;

namespace Journeys.Language.Graph;

/// <summary>Draws journeys as diagrams from their Stateless state machine: Mermaid (<c>stateDiagram-v2</c>) or Graphviz DOT.</summary>
public static class JourneyGraph
{
    /// <summary>The journey as a Mermaid state diagram: steps, transitions with their labels, entry and exits.</summary>
    public static string ToMermaid(JourneyDefinition journey)
    {
        ArgumentNullException.ThrowIfNull(journey);
        var machine = JourneyStateMachine.ForGraph(journey);
        var text = MermaidGraph.Format(machine.Machine.GetInfo());
        return Normalize(text) + $"\t{Id(machine.Completed)} --> [*]\n" +
               (journey.Exits.Count > 0 ? $"\t{Id(machine.Exited)} --> [*]\n" : "") +
               (journey.Goal is { Exit: true } ? $"\t{Id(machine.Converted)} --> [*]\n" : "");
    }

    /// <summary>The journey as a Graphviz DOT digraph.</summary>
    public static string ToDot(JourneyDefinition journey)
    {
        ArgumentNullException.ThrowIfNull(journey);
        var machine = JourneyStateMachine.ForGraph(journey);
        return Normalize(UmlDotGraph.Format(machine.Machine.GetInfo()));
    }

    /// <summary>A split branch's share of the customers, as the diagrams label it: <c>90%</c>.</summary>
    /// <param name="split">The split.</param>
    /// <param name="branch">The branch's index in <see cref="SplitTransition.Branches"/> (0-based).</param>
    /// <returns>The share as a percentage with at most two decimals.</returns>
    public static string SplitShare(SplitTransition split, int branch)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentOutOfRangeException.ThrowIfNegative(branch);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(branch, split.Branches.Count);
        return JourneyStateMachine.SplitShare(split, branch);
    }

    private static string Id(string state) => state.Replace(" ", "", StringComparison.Ordinal);

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n') + "\n";
}
