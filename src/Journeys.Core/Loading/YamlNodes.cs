using Journeys.Diagnostics;
using YamlDotNet.Core;

namespace Journeys.Loading;

/// <summary>A small YAML tree that keeps every node's position: what the loader needs to point operators at their
/// mistakes. Built from YamlDotNet's event parser by <see cref="YamlDocumentReader"/>.</summary>
internal abstract class YNode
{
    protected YNode(SourceLocation location) => Location = location;

    public SourceLocation Location { get; }

    public abstract string Kind { get; }
}

internal sealed class YScalar(SourceLocation location, string value, ScalarStyle style) : YNode(location)
{
    public string Value { get; } = value;

    public ScalarStyle Style { get; } = style;

    public bool IsPlainNull => Style == ScalarStyle.Plain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string Kind => "a value";

    /// <summary>Where the character at <paramref name="offset"/> of <see cref="Value"/> stands in the file.</summary>
    public SourceLocation Locate(int offset)
    {
        var quoted = Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted ? 1 : 0;
        if (Style is ScalarStyle.Literal or ScalarStyle.Folded)
        {
            var line = Value.Take(Math.Min(offset, Value.Length)).Count(c => c == '\n');
            var lineStart = offset == 0 ? 0 : Value.LastIndexOf('\n', Math.Max(0, Math.Min(offset, Value.Length) - 1)) + 1;
            return Location with { Line = Location.Line + 1 + line, Column = Location.Column + 2 + (offset - lineStart) };
        }

        var before = Value.AsSpan(0, Math.Min(offset, Value.Length));
        var lines = before.Count('\n');
        if (lines == 0)
        {
            return Location with { Column = Location.Column + quoted + offset };
        }

        var lastBreak = before.LastIndexOf('\n');
        return Location with { Line = Location.Line + lines, Column = offset - lastBreak };
    }
}

internal sealed class YMapping(SourceLocation location) : YNode(location)
{
    public List<KeyValuePair<YScalar, YNode>> Entries { get; } = [];

    public override string Kind => "a mapping (key: value)";

    public YNode? this[string key]
    {
        get
        {
            foreach (var e in Entries)
            {
                if (e.Key.Value == key)
                {
                    return e.Value;
                }
            }

            return null;
        }
    }
}

internal sealed class YSequence(SourceLocation location) : YNode(location)
{
    public List<YNode> Items { get; } = [];

    public override string Kind => "a list";
}
