using System.Text;

namespace Journeys.Expressions;

/// <summary>Reads an operator's expression once, to (1) rewrite plain dotted names into NCalc's bracket form and map
/// columns back, and (2) know where each leaf (name, literal, function) stands, since NCalc's tree carries no positions.</summary>
internal sealed class ExpressionLexer
{
    private ExpressionLexer(string rewritten, int[] map, List<Leaf> leaves)
    {
        Rewritten = rewritten;
        _map = map;
        Leaves = leaves;
    }

    private readonly int[] _map;

    /// <summary>The text handed to NCalc.</summary>
    public string Rewritten { get; }

    /// <summary>Leaves in textual order, with their 0-based offsets in the original text.</summary>
    public IReadOnlyList<Leaf> Leaves { get; }

    public readonly record struct Leaf(int Offset, string Text);

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
                Emit(c, i);
                i++;
            }
        }

        return new ExpressionLexer(sb.ToString(), map.ToArray(), leaves);
    }
}
