using Journeys.Diagnostics;
using Journeys.Language.Definitions;

namespace Journeys.Language.Loading;

internal sealed partial class DefinitionParser
{
    /// <summary>A cycle's message names this many of its steps, then says how many more there are.</summary>
    private const int MaxCycleStepsNamed = 12;

    /// <summary>The step names a message lists: at most 20 (and how many more), so a journey of many steps with many bad
    /// references does not make messages that grow with their product.</summary>
    private static string StepList(List<StepDefinition> steps) =>
        string.Join(", ", steps.Take(20).Select(s => s.Name)) + (steps.Count > 20 ? $", ... ({steps.Count - 20} more)" : "");

    /// <summary>Arrival-only transitions (a bare <c>goto</c>, an <c>if:</c> branch, a <c>split</c>) are taken at the
    /// instant of arrival, with no event or timer between: a cycle of them would move a customer round and round, sending
    /// at every step, at one instant. Each such cycle (a strongly connected set of steps, found without recursion) is an
    /// error at its first step's transition, naming its steps and where each one's transition is.</summary>
    private void CheckArrivalCycles(List<StepDefinition> steps)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        foreach (var step in steps)
        {
            if (index.TryAdd(step.Name, index.Count))
            {
                names.Add(step.Name);
            }
        }

        // Edges: step -> (target, the transition or branch that leads there), arrival-only, to other steps.
        var edges = new List<(int To, SourceLocation At)>[index.Count];
        for (var i = 0; i < edges.Length; i++)
        {
            edges[i] = [];
        }

        foreach (var step in steps)
        {
            var from = index[step.Name];
            foreach (var t in step.Transitions)
            {
                IEnumerable<(string Target, SourceLocation At)> targets = t switch
                {
                    SplitTransition split => split.Branches.Select(b => (b.Target, b.Location)),
                    GotoTransition or ConditionTransition => t.Targets.Select(target => (target, t.Location)),
                    _ => [],
                };
                foreach (var (target, at) in targets)
                {
                    if (target != step.Name && index.TryGetValue(target, out var to))
                    {
                        edges[from].Add((to, at)); // a step to itself is reported on its own
                    }
                }
            }
        }

        foreach (var component in StronglyConnected(edges).Where(c => c.Count > 1).OrderBy(c => c.Min()))
        {
            var cycle = CycleThrough(component.Min(), component, edges);
            var shown = string.Join(" -> ", cycle.Take(MaxCycleStepsNamed).Select(link => $"'{names[link.From]}' ({link.At})"));
            var path = shown + (cycle.Count > MaxCycleStepsNamed ? $" -> ... ({cycle.Count - MaxCycleStepsNamed} more)" : "") + $" -> '{names[cycle[0].From]}'";
            Error(cycle[0].At, DiagnosticCodes.DeadStep,
                $"steps {path} move on at arrival in a cycle: customers would loop forever (an 'on' or 'after' must come between)");
        }
    }

    /// <summary>Tarjan's strongly connected components, with an explicit stack (journeys may have many steps).</summary>
    private static List<List<int>> StronglyConnected(List<(int To, SourceLocation At)>[] edges)
    {
        var n = edges.Length;
        var order = new int[n];
        var low = new int[n];
        var onStack = new bool[n];
        Array.Fill(order, -1);
        var stack = new Stack<int>();
        var components = new List<List<int>>();
        var counter = 0;
        var work = new Stack<(int Node, int Edge)>();
        for (var root = 0; root < n; root++)
        {
            if (order[root] >= 0)
            {
                continue;
            }

            work.Push((root, 0));
            order[root] = low[root] = counter++;
            stack.Push(root);
            onStack[root] = true;
            while (work.Count > 0)
            {
                var (node, edge) = work.Pop();
                if (edge < edges[node].Count)
                {
                    work.Push((node, edge + 1));
                    var next = edges[node][edge].To;
                    if (order[next] < 0)
                    {
                        order[next] = low[next] = counter++;
                        stack.Push(next);
                        onStack[next] = true;
                        work.Push((next, 0));
                    }
                    else if (onStack[next])
                    {
                        low[node] = Math.Min(low[node], order[next]);
                    }

                    continue;
                }

                if (work.Count > 0)
                {
                    var parent = work.Peek().Node;
                    low[parent] = Math.Min(low[parent], low[node]);
                }

                if (low[node] == order[node])
                {
                    var component = new List<int>();
                    int member;
                    do
                    {
                        member = stack.Pop();
                        onStack[member] = false;
                        component.Add(member);
                    }
                    while (member != node);

                    components.Add(component);
                }
            }
        }

        return components;
    }

    /// <summary>A shortest cycle from <paramref name="start"/> back to it inside its component (breadth first).</summary>
    private static List<(int From, SourceLocation At)> CycleThrough(int start, List<int> component, List<(int To, SourceLocation At)>[] edges)
    {
        var inside = component.ToHashSet();
        var via = new Dictionary<int, (int From, SourceLocation At)>();
        var queue = new Queue<int>([start]);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            foreach (var (to, at) in edges[node])
            {
                if (!inside.Contains(to) || via.ContainsKey(to))
                {
                    continue;
                }

                via[to] = (node, at);
                if (to == start)
                {
                    queue.Clear();
                    break;
                }

                queue.Enqueue(to);
            }
        }

        var cycle = new List<(int From, SourceLocation At)>();
        var current = start;
        do
        {
            var link = via[current];
            cycle.Add(link);
            current = link.From;
        }
        while (current != start);

        cycle.Reverse();
        return cycle;
    }
}
