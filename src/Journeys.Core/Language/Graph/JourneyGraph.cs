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
        var plain = JourneyStateMachine.ForGraph(journey.Definition);
        var unmerged = MermaidIds.Unmerge(journey.Definition.Steps.Select(s => s.Name).ToList(),
            [plain.NotEntered, plain.InJourney, plain.Completed, plain.Exited, plain.Converted]);
        var machine = unmerged.Count == 0 ? plain : JourneyStateMachine.ForGraph(journey.Definition, unmerged);
        var text = Normalize(MermaidGraph.Format(machine.Machine.GetInfo())) + $"\t{Id(machine.Completed)} --> [*]\n" +
                   (journey.Exits.Count > 0 ? $"\t{Id(machine.Exited)} --> [*]\n" : "") +
                   (journey.Goal is { Exit: true } ? $"\t{Id(machine.Converted)} --> [*]\n" : "");
        return Notes(MermaidIds.Describe(MermaidIds.Rewrite(text, machine.Machine.GetInfo().States.Select(s => (string)s.UnderlyingState)), unmerged), journey);
    }

    /// <summary>A note beside each step with <c>set</c> or <c>emit</c> (Mermaid draws no entry actions): at the step's id,
    /// the name itself or the one a <c>id : name</c> line gives it; a step whose id the text does not give plainly is left
    /// without its note rather than risk a broken diagram.</summary>
    private static string Notes(string mermaid, JourneyInfo journey)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in mermaid.Split('\n'))
        {
            if (line.StartsWith('\t') && !line.StartsWith("\t\t", StringComparison.Ordinal) && !line.Contains("-->", StringComparison.Ordinal) &&
                line.Split(" : ", 2) is [var id, var name])
            {
                ids.TryAdd(name, id[1..]);
            }
        }

        var notes = new System.Text.StringBuilder();
        foreach (var step in journey.Definition.Steps)
        {
            var labels = StepActionLabels.Of(step);
            var id = ids.GetValueOrDefault(step.Name) ?? (step.Name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? step.Name : null);
            if (labels.Count > 0 && id is not null)
            {
                notes.Append(System.Globalization.CultureInfo.InvariantCulture, $"\tnote right of {id} : {string.Join("<br/>", labels)}\n");
            }
        }

        return mermaid + notes;
    }

    /// <summary>The journey as a Graphviz DOT digraph.</summary>
    /// <param name="journey">A journey of a catalog (<c>catalog.Journeys</c>).</param>
    public static string ToDot(JourneyInfo journey)
    {
        ArgumentNullException.ThrowIfNull(journey);
        var machine = JourneyStateMachine.ForGraph(journey.Definition);
        return Normalize(FromTheSteps(UmlDotGraph.Format(machine.Machine.GetInfo()).Replace("\r\n", "\n", StringComparison.Ordinal)));
    }

    /// <summary>Stateless draws the exits and the goal from the superstate by its name, which Graphviz shows as a box of its
    /// own beside the steps; they are drawn from the steps' cluster instead: from its first step, clipped at the cluster's
    /// edge (<c>ltail</c>, which the graph's <c>compound=true</c> enables).</summary>
    private static string FromTheSteps(string dot)
    {
        var lines = dot.Split('\n');
        var cluster = Array.FindIndex(lines, l => l.Contains("label = \"in_journey\"", StringComparison.Ordinal));
        var anchor = cluster < 0 ? null : lines.Skip(cluster + 1).Select(l => l.TrimStart()).FirstOrDefault(l => l.StartsWith('"'))?.Split(" [", 2)[0];
        if (anchor is null)
        {
            return dot;
        }

        const string FromSuperstate = "\"in_journey\" -> ";
        for (var i = 0; i < lines.Length; i++)
        {
            var open = lines[i].IndexOf(" [", StringComparison.Ordinal);
            if (lines[i].StartsWith(FromSuperstate, StringComparison.Ordinal) && open > 0)
            {
                var target = lines[i][FromSuperstate.Length..open];
                lines[i] = $"{anchor} -> {(target == "\"in_journey\"" ? anchor : target)} [ltail=\"clusterin_journey\", {lines[i][(open + 2)..]}";
            }
        }

        return string.Join('\n', lines);
    }

    private static string Id(string state) => state.Replace(" ", "", StringComparison.Ordinal);

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n') + "\n";
}
