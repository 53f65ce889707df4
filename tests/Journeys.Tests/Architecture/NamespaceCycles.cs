using System.Globalization;
using System.Text;

namespace Journeys.Tests.Architecture;

/// <summary>The cycles of a <see cref="NamespaceGraph"/>: its strongly connected components of more than one namespace
/// (Tarjan), and a message that lists each with the edges inside it and example references per edge.</summary>
internal static class NamespaceCycles
{
    /// <summary>Each cycle as its namespaces, sorted; the cycles ordered by their first namespace.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Find(NamespaceGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return StronglyConnectedComponents(graph.Namespaces, graph.Successors)
            .Where(component => component.Count > 1)
            .Select(component => (IReadOnlyList<string>)[.. component.Order(StringComparer.Ordinal)])
            .OrderBy(component => component[0], StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Tarjan's algorithm over the given nodes, visited in their given order (successors sorted), so the
    /// result is the same on every run.</summary>
    public static List<List<string>> StronglyConnectedComponents(IEnumerable<string> nodes, Func<string, IEnumerable<string>> successors)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(successors);

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var lowLink = new Dictionary<string, int>(StringComparer.Ordinal);
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var components = new List<List<string>>();

        void Connect(string node)
        {
            index[node] = lowLink[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);

            foreach (var next in successors(node).Order(StringComparer.Ordinal))
            {
                if (!index.TryGetValue(next, out var nextIndex))
                {
                    Connect(next);
                    lowLink[node] = Math.Min(lowLink[node], lowLink[next]);
                }
                else if (onStack.Contains(next))
                {
                    lowLink[node] = Math.Min(lowLink[node], nextIndex);
                }
            }

            if (lowLink[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (!string.Equals(member, node, StringComparison.Ordinal));

                components.Add(component);
            }
        }

        foreach (var node in nodes)
        {
            if (!index.ContainsKey(node))
            {
                Connect(node);
            }
        }

        return components;
    }

    /// <summary>Every cycle, each with all the edges between its namespaces: how many distinct references make each edge,
    /// the types they name, and up to <paramref name="examplesPerEdge"/> example references; empty when there is
    /// none.</summary>
    public static string Describe(NamespaceGraph graph, int examplesPerEdge = 3)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var cycles = Find(graph);
        if (cycles.Count == 0)
        {
            return "";
        }

        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.Append(culture, $"{cycles.Count} namespace cycle(s) in {graph.AssemblyName} (namespaces under '{graph.Prefix}'):");
        text.AppendLine();
        for (var i = 0; i < cycles.Count; i++)
        {
            var members = cycles[i];
            var inside = new HashSet<string>(members, StringComparer.Ordinal);
            var edges = graph.Edges.Where(e => inside.Contains(e.From) && inside.Contains(e.To)).ToList();
            text.AppendLine();
            text.Append(culture, $"Cycle {i + 1}: {string.Join(", ", members)} ({members.Count} namespaces, {edges.Count} edges)");
            text.AppendLine();
            foreach (var edge in edges)
            {
                var targets = string.Join(", ", edge.Targets.Select(t => string.Create(culture, $"{ShortName(t.Type, edge.To)} ({t.Count})")));
                text.Append(culture, $"  {edge.From} → {edge.To}: {edge.References.Count} reference(s) to {targets}");
                text.AppendLine();
                foreach (var reference in edge.Examples(examplesPerEdge))
                {
                    text.Append(culture, $"      {reference}");
                    text.AppendLine();
                }
            }
        }

        return text.ToString();
    }

    private static string ShortName(string type, string ns) =>
        type.StartsWith(ns + ".", StringComparison.Ordinal) ? type[(ns.Length + 1)..] : type;
}
