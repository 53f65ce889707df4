using Journeys.Diagnostics;
using Journeys.State;
using YamlDotNet.Core;

namespace Journeys.Language.Yaml;

/// <summary>A small YAML tree that keeps every node's position: what the loader needs to point operators at their
/// mistakes. Built from YamlDotNet's event parser by <see cref="YamlDocumentReader"/>.</summary>
internal abstract class YNode
{
    protected YNode(SourceLocation location) => Location = location;

    public SourceLocation Location { get; }

    public abstract string Kind { get; }
}

// source: the whole text the scalar was read from, with the scalar's start and end indexes in it; with them, Locate
// finds the characters of values written over several lines or with escapes.
internal sealed class YScalar(SourceLocation location, string value, ScalarStyle style, string source, int start, int end) : YNode(location)
{
    public string Value { get; } = value;

    public ScalarStyle Style { get; } = style;

    public bool IsPlainNull => Style == ScalarStyle.Plain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string Kind => "a value";

    /// <summary>Where the character at <paramref name="offset"/> of <see cref="Value"/> stands in the file.</summary>
    /// <remarks>The value is its source text minus quotes, escapes, indentation and folded line breaks: walking both side
    /// by side, each character of the value is the next source character equal to it (whitespace may be a fold).</remarks>
    public SourceLocation Locate(int offset)
    {
        var limit = Math.Min(end, source.Length);
        var p = start;
        if (Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted)
        {
            p++;
        }
        else if (Style is ScalarStyle.Literal or ScalarStyle.Folded)
        {
            var header = source.IndexOf('\n', p); // the content starts on the line after '|' or '>'
            p = header < 0 ? limit : header + 1;
        }

        var at = p;
        for (var i = 0; i <= Math.Min(offset, Value.Length - 1); i++)
        {
            var c = Value[i];
            var q = p;
            if (!char.IsWhiteSpace(c))
            {
                while (q < limit && source[q] != c)
                {
                    q++;
                }
            }

            if (q < limit && (source[q] == c || char.IsWhiteSpace(source[q])))
            {
                (at, p) = (q, q + 1);
            }
            else
            {
                at = p; // a character the source spells differently (an escape): stay put
            }
        }

        if (offset >= Value.Length)
        {
            at = Value.Length == 0 ? p : at + 1;
        }

        var breaks = source.AsSpan(start, Math.Max(0, at - start)).Count('\n');
        return breaks == 0 ? Location with { Column = Location.Column + (at - start) } : SourceLocation.At(Location.File, source, at);
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
