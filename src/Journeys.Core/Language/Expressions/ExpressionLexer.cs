using System.Text;

namespace Journeys.Language.Expressions;

/// <summary>Reads an operator's expression once, to (1) rewrite plain dotted names into NCalc's bracket form and map
/// columns back, and (2) know where each leaf (name, literal, function) stands, since NCalc's tree carries no positions.</summary>
internal sealed class ExpressionLexer
{
    /// <summary>The deepest nesting of brackets (a function call's included) an expression may have.</summary>
    public const int MaxDepth = 32;

    /// <summary>The most operators (<c>+</c>, <c>==</c>, <c>&amp;&amp;</c>, <c>not</c>, <c>?</c>, ...) an expression may have.</summary>
    public const int MaxOperators = 256;

    private ExpressionLexer(string rewritten, int[] map, List<Leaf> leaves, int tooDeepAt, int tooManyOperatorsAt)
    {
        Rewritten = rewritten;
        _map = map;
        Leaves = leaves;
        TooDeepAt = tooDeepAt;
        TooManyOperatorsAt = tooManyOperatorsAt;
    }

    private readonly int[] _map;

    /// <summary>The text handed to NCalc.</summary>
    public string Rewritten { get; }

    /// <summary>Leaves in textual order, with their 0-based offsets in the original text.</summary>
    public IReadOnlyList<Leaf> Leaves { get; }

    public readonly record struct Leaf(int Offset, string Text);

    /// <summary>The 0-based offset of the first bracket nested deeper than <see cref="MaxDepth"/>, else -1. The parser
    /// and the tree built from its result recurse once per level, so such an expression is refused before parsing.</summary>
    public int TooDeepAt { get; }

    /// <summary>The 0-based offset of the operator past <see cref="MaxOperators"/>, else -1. A chain of operators
    /// (<c>1 + 1 + ...</c>, <c>!!!x</c>) is a tree as deep as it is long.</summary>
    public int TooManyOperatorsAt { get; }

    /// <summary>Maps a 0-based offset in <see cref="Rewritten"/> to one in the original text.</summary>
    public int ToOriginal(int rewrittenOffset) =>
        rewrittenOffset < 0 ? 0 : rewrittenOffset >= _map.Length ? (_map.Length == 0 ? 0 : _map[^1] + 1) : _map[rewrittenOffset];

    public static ExpressionLexer Read(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        var map = new List<int>(text.Length + 8);
        var leaves = new List<Leaf>();
        void Emit(char c, int from) { sb.Append(c); map.Add(from); }
        void EmitRange(int start, int end) { for (var k = start; k < end; k++) Emit(text[k], k); }
        var (depth, operators, tooDeepAt, tooManyOperatorsAt) = (0, 0, -1, -1);
        void Operator(int at)
        {
            if (++operators > MaxOperators && tooManyOperatorsAt < 0)
            {
                tooManyOperatorsAt = at;
            }
        }

        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\'')
            {
                var start = i++;
                while (i < text.Length && text[i] != '\'')
                {
                    i += text[i] == '\\' ? 2 : 1;
                }

                i = Math.Min(i + 1, text.Length);
                leaves.Add(new Leaf(start, text[start..i]));
                EmitRange(start, i);
            }
            else if (c == '[' || c == '#')
            {
                var close = c == '[' ? ']' : '#';
                var start = i++;
                while (i < text.Length && text[i] != close)
                {
                    i++;
                }

                i = Math.Min(i + 1, text.Length);
                leaves.Add(new Leaf(start, text[start..i]));
                EmitRange(start, i);
            }
            else if (char.IsDigit(c) || (c == '.' && i + 1 < text.Length && char.IsDigit(text[i + 1])))
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '.' ||
                                           ((text[i] == '+' || text[i] == '-') && (text[i - 1] == 'e' || text[i - 1] == 'E'))))
                {
                    i++;
                }

                leaves.Add(new Leaf(start, text[start..i]));
                EmitRange(start, i);
            }
            else if (char.IsLetter(c) || c == '_' || c == '@')
            {
                var start = i;
                if (c == '@')
                {
                    i++;
                }

                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_' ||
                                           (text[i] == '.' && i + 1 < text.Length && (char.IsLetter(text[i + 1]) || text[i + 1] == '_'))))
                {
                    i++;
                }

                var word = text[start..i];
                if (word is "and" or "or" or "not" || word.Equals("and", StringComparison.OrdinalIgnoreCase) ||
                    word.Equals("or", StringComparison.OrdinalIgnoreCase) || word.Equals("not", StringComparison.OrdinalIgnoreCase))
                {
                    Operator(start);
                    EmitRange(start, i);
                    continue;
                }

                leaves.Add(new Leaf(start, word));
                if (word.Contains('.', StringComparison.Ordinal))
                {
                    // customer.tier -> [customer.tier]; columns inside map to the name, the brackets to its ends.
                    Emit('[', start);
                    EmitRange(start, i);
                    Emit(']', i - 1);
                }
                else
                {
                    EmitRange(start, i);
                }
            }
            else
            {
                if (c == '(' && ++depth > MaxDepth && tooDeepAt < 0)
                {
                    tooDeepAt = i;
                }
                else if (c == ')')
                {
                    depth = Math.Max(depth - 1, 0);
                }
                else if ("+-*/%<>=!&|^~?:".Contains(c, StringComparison.Ordinal))
                {
                    Operator(i);
                    if (i + 1 < text.Length && text.AsSpan(i, 2) is "==" or "!=" or "<>" or "<=" or ">=" or "&&" or "||" or "<<" or ">>")
                    {
                        Emit(c, i++); // a two-character operator counts once
                        c = text[i];
                    }
                }

                Emit(c, i);
                i++;
            }
        }

        return new ExpressionLexer(sb.ToString(), map.ToArray(), leaves, tooDeepAt, tooManyOperatorsAt);
    }
}
