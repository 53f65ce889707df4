using System.Text.RegularExpressions;
using Journeys.Tests.Support;

namespace Journeys.Tests.Cli;

/// <summary><c>journeys graph</c> with step names that differ only by spaces, colons or hyphens: each step is a state of
/// its own in the Mermaid text (Stateless's ids drop spaces, which made <c>a b</c> and <c>ab</c> one state).</summary>
public sealed partial class GraphLookAlikeNamesTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Graph_StepNamesDifferingOnlyBySpacesColonsOrHyphens_AreDistinctStatesWithTheirOwnEdges()
    {
        _folder.Write("look-alike.yaml", """
            journey: look-alike
            entry: { on: go }
            start: "a b"
            steps:
              "a b":
                then: [ { on: e1, goto: ab } ]
              ab:
                then: [ { on: e2, goto: "a: b" } ]
              "a: b":
                then: [ { on: e3, goto: "a:b" } ]
              "a:b":
                then: [ { on: e4, goto: "a - b" } ]
              "a - b":
                then: [ { on: e5, goto: a-b } ]
              a-b:
                then: [ { on: e6, goto: "com pleted" } ]
              "com pleted":
                then: [ { on: e7, goto: end } ]
            """);

        var result = Support.Cli.Run("graph", _folder.Path);

        Assert.Equal((0, ""), (result.Exit, result.Err));
        var lines = result.OutLines;
        var names = Descriptions(lines);
        var edges = lines.Select(l => Edge().Match(l)).Where(m => m.Success)
            .ToDictionary(m => m.Groups["label"].Value, m => (From: Name(m.Groups["from"].Value, names), To: Name(m.Groups["to"].Value, names)));

        // Every step's event leads from that step to the next one, by name: no two steps share a state id.
        Assert.Equal(("a b", "ab"), edges["on e1"]);
        Assert.Equal(("ab", "a: b"), edges["on e2"]);
        Assert.Equal(("a: b", "a:b"), edges["on e3"]);
        Assert.Equal(("a:b", "a - b"), edges["on e4"]);
        Assert.Equal(("a - b", "a-b"), edges["on e5"]);
        Assert.Equal(("a-b", "com pleted"), edges["on e6"]);
        Assert.Equal(("com pleted", "completed"), edges["on e7"]);
        Assert.Equal(7, edges.Values.Select(e => e.From).Distinct().Count());
    }

    /// <summary>State id → the step name its description line gives (Mermaid's entity codes decoded).</summary>
    private static Dictionary<string, string> Descriptions(IEnumerable<string> lines) => lines
        .Select(l => Description().Match(l)).Where(m => m.Success)
        .ToDictionary(m => m.Groups["id"].Value, m => m.Groups["name"].Value.Replace("#58;", ":", StringComparison.Ordinal));

    private static string Name(string id, Dictionary<string, string> names) => names.GetValueOrDefault(id, id);

    [GeneratedRegex(@"^\t(?<from>[\w-]+) --> (?<to>[\w-]+) : (?<label>on e\d)$")]
    private static partial Regex Edge();

    [GeneratedRegex(@"^\t(?<id>[\w-]+) : (?<name>.+)$")]
    private static partial Regex Description();
}
