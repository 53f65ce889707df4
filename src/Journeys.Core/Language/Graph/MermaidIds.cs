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
