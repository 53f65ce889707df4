using System.Text;
using System.Text.RegularExpressions;

namespace Journeys.Language.Graph;

/// <summary>Makes Stateless's Mermaid text safe for any step name. Stateless writes a state's id as its name without
/// spaces, so a name with quotes, brackets, colons, arrows or a Mermaid keyword (<c>end</c>, <c>state</c>) breaks the
/// diagram, and two names that differ only by spaces become one state. Such states get a plain id (<c>step_3</c>) and a
/// description line carrying the name, with Mermaid's entity codes for the characters its parser reads; ordinary names
/// are left as Stateless wrote them.</summary>
internal static partial class MermaidIds
{
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "end", "state", "direction", "note", "class", "classDef", "style", "click", "as", "stateDiagram", "stateDiagram-v2",
    };

    /// <summary>Rewrites <paramref name="mermaid"/> (Stateless's output for a machine whose states are
    /// <paramref name="states"/>).</summary>
    public static string Rewrite(string mermaid, IEnumerable<string> states)
    {
        var names = states.Distinct(StringComparer.Ordinal).OrderByDescending(n => n.Length).ToArray();
        var lines = mermaid.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();

        // Stateless writes "\t{id} : {name}" for each state whose id is not its name (its ids never hold a space).
        var nameOf = names.ToDictionary(n => n, n => n, StringComparer.Ordinal);
        var aliasLines = new Dictionary<int, string>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (!line.StartsWith('\t') || line.StartsWith("\t\t", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var name in names)
            {
                var id = line.EndsWith(" : " + name, StringComparison.Ordinal) ? line[1..^(name.Length + 3)] : null;
                if (id is { Length: > 0 } && !id.Contains(' ', StringComparison.Ordinal) && id != name)
                {
                    nameOf.Remove(name);
                    nameOf[id] = name;
                    aliasLines[i] = id;
                    break;
                }
            }
        }

        var renamed = new Dictionary<string, string>(StringComparer.Ordinal);
        var descriptions = new List<string>();
        var n = 0;
        foreach (var (id, name) in nameOf.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var safe = Safe().IsMatch(id) && !Keywords.Contains(id);
            if (safe && (id == name || Describe(name) == name))
            {
                continue;
            }

            var newId = safe ? id : $"step_{++n}";
            while (!safe && nameOf.ContainsKey(newId))
            {
                newId += "_";
            }

            renamed[id] = newId;
            descriptions.Add($"\t{newId} : {Describe(name)}");
        }

        if (renamed.Count == 0)
        {
            return mermaid;
        }

        var output = new List<string>(lines.Count + descriptions.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (aliasLines.TryGetValue(i, out var aliased) && renamed.ContainsKey(aliased))
            {
                continue; // Stateless's description: ours, with entity codes, replaces it
            }

            var indent = line[..(line.Length - line.TrimStart('\t').Length)];
            var rest = line[indent.Length..];
            var from = rest.Split(' ', 2)[0];
            if (rest.Length == from.Length)
            {
                output.Add(indent + Map(from, renamed)); // a state inside a composite
            }
            else if (rest[from.Length..].StartsWith(" --> ", StringComparison.Ordinal))
            {
                var tail = rest[(from.Length + 5)..];
                var to = tail.Split(' ', 2)[0];
                output.Add($"{indent}{Map(from, renamed)} --> {Map(to, renamed)}{tail[to.Length..]}");
            }
            else
            {
                output.Add(line);
            }
        }

        var header = output.FindIndex(l => l.StartsWith("stateDiagram", StringComparison.Ordinal));
        output.InsertRange(header + 1, descriptions);
        return string.Join('\n', output);
    }

    private static string Map(string id, Dictionary<string, string> renamed) => renamed.GetValueOrDefault(id, id);

    /// <summary>Stateless's id of a state is its name without spaces, so two steps whose names differ only by spaces
    /// (<c>a b</c> and <c>ab</c>, <c>a: b</c> and <c>a:b</c>, <c>a - b</c> and <c>a-b</c>) or a step and a pseudo-state
    /// (<c>com pleted</c>) would be drawn as one state. Each name with a space among such look-alikes gets a plain id of
    /// its own (<c>spaced_1</c>), taken by no step and no pseudo-state; the others keep theirs.</summary>
    /// <returns>Per renamed step, its id (empty when no names look alike, the common case).</returns>
    public static Dictionary<string, string> Unmerge(IReadOnlyList<string> steps, IReadOnlyList<string> pseudoStates)
    {
        static string Stripped(string name) => name.Replace(" ", "", StringComparison.Ordinal);
        var all = steps.Concat(pseudoStates).ToList();
        var renamed = new Dictionary<string, string>(StringComparer.Ordinal);
        var merged = all.GroupBy(Stripped, StringComparer.Ordinal).Where(g => g.Count() > 1).ToList();
        if (merged.Count == 0)
        {
            return renamed;
        }

        var taken = all.Concat(all.Select(Stripped)).ToHashSet(StringComparer.Ordinal);
        var n = 0;
        foreach (var name in merged.SelectMany(g => g).Where(name => name.Contains(' ', StringComparison.Ordinal)))
        {
            string id;
            do
            {
                id = $"spaced_{++n}";
            }
            while (taken.Contains(id));

            renamed[name] = id;
        }

        return renamed;
    }

    /// <summary>Adds, after the diagram's header, a description line for each state <see cref="Unmerge"/> renamed: its
    /// step's name, with entity codes.</summary>
    public static string Describe(string mermaid, IReadOnlyDictionary<string, string> renamed)
    {
        if (renamed.Count == 0)
        {
            return mermaid;
        }

        var lines = mermaid.Split('\n').ToList();
        var header = lines.FindIndex(l => l.StartsWith("stateDiagram", StringComparison.Ordinal));
        lines.InsertRange(header + 1, renamed.OrderBy(r => r.Value, StringComparer.Ordinal).Select(r => $"\t{r.Value} : {Describe(r.Key)}"));
        return string.Join('\n', lines);
    }

    /// <summary>A name as Mermaid shows it: entity codes for the characters its parser reads, control characters as
    /// spaces.</summary>
    private static string Describe(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            text.Append(c switch
            {
                '#' => "#35;",
                ';' => "#59;",
                '"' => "#quot;",
                ':' => "#58;",
                '<' => "#lt;",
                '>' => "#gt;",
                '{' => "#123;",
                '}' => "#125;",
                _ when char.IsControl(c) => " ",
                _ => c.ToString(),
            });
        }

        return text.ToString();
    }

    [GeneratedRegex(@"^[\p{L}\p{N}_]+(-[\p{L}\p{N}_]+)*$")]
    private static partial Regex Safe();
}
