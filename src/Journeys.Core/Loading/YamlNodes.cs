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

// source: the whole text the scalar was read from, with the scalar's start and end indexes in it; with them, Locate
// finds the characters of values written over several lines or with escapes.
internal sealed class YScalar(SourceLocation location, string value, ScalarStyle style, string? source = null, int start = 0, int end = 0) : YNode(location)
{
    public string Value { get; } = value;

    public ScalarStyle Style { get; } = style;

    public bool IsPlainNull => Style == ScalarStyle.Plain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string Kind => "a value";

    /// <summary>Where the character at <paramref name="offset"/> of <see cref="Value"/> stands in the file.</summary>
    public SourceLocation Locate(int offset)
    {
        if (source is not null)
        {
            return LocateInSource(source, Math.Min(end, source.Length));
        }

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

        // The value is its source text minus quotes, escapes, indentation and folded line breaks: walking both side by
        // side, each character of the value is the next source character equal to it (whitespace may be a fold).
        SourceLocation LocateInSource(string text, int limit)
        {
            var p = start;
            if (Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted)
            {
                p++;
            }
            else if (Style is ScalarStyle.Literal or ScalarStyle.Folded)
            {
                var header = text.IndexOf('\n', p); // the content starts on the line after '|' or '>'
                p = header < 0 ? limit : header + 1;
            }

            var at = p;
            for (var i = 0; i <= Math.Min(offset, Value.Length - 1); i++)
            {
                var c = Value[i];
                var q = p;
                if (!char.IsWhiteSpace(c))
                {
                    while (q < limit && text[q] != c)
                    {
                        q++;
                    }
                }

                if (q < limit && (text[q] == c || char.IsWhiteSpace(text[q])))
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

            var breaks = text.AsSpan(start, Math.Max(0, at - start)).Count('\n');
            return breaks == 0
                ? Location with { Column = Location.Column + (at - start) }
                : Location with { Line = Location.Line + breaks, Column = at - text.LastIndexOf('\n', at - 1) };
        }
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
