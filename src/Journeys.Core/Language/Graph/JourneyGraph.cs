using Journeys.Inspection;
using Stateless.Graph;

namespace Journeys.Language.Graph;

/// <summary>Draws journeys as diagrams from their Stateless state machine: Mermaid (<c>stateDiagram-v2</c>) or Graphviz DOT.</summary>
public static class JourneyGraph
{
    /// <summary>The journey as a Mermaid state diagram: steps, transitions with their labels, entry and exits.</summary>
    /// <param name="journey">A journey of a catalog (<c>catalog.Journeys</c>).</param>
    public static string ToMermaid(JourneyInfo journey)
    {
        ArgumentNullException.ThrowIfNull(journey);
        var machine = JourneyStateMachine.ForGraph(journey.Definition);
        var text = MermaidGraph.Format(machine.Machine.GetInfo());
        return Normalize(text) + $"\t{Id(machine.Completed)} --> [*]\n" +
               (journey.Exits.Count > 0 ? $"\t{Id(machine.Exited)} --> [*]\n" : "") +
               (journey.Goal is { Exit: true } ? $"\t{Id(machine.Converted)} --> [*]\n" : "");
    }

    /// <summary>The journey as a Graphviz DOT digraph.</summary>
    /// <param name="journey">A journey of a catalog (<c>catalog.Journeys</c>).</param>
    public static string ToDot(JourneyInfo journey)
    {
        ArgumentNullException.ThrowIfNull(journey);
        var machine = JourneyStateMachine.ForGraph(journey.Definition);
        return Normalize(UmlDotGraph.Format(machine.Machine.GetInfo()));
    }

    private static string Id(string state) => state.Replace(" ", "", StringComparison.Ordinal);

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n') + "\n";
}
