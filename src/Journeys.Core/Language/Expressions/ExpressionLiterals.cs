using System.Globalization;
using Journeys.Diagnostics;

namespace Journeys.Language.Expressions;

/// <summary>Checks NCalc cannot be trusted with, made on the operator's text before it is parsed: date literals are ISO
/// 8601 only (NCalc reads <c>#...#</c> with the current culture: <c>#01/02/2026#</c> meant different days on different
/// machines, and <c>#2026-01-01#</c> failed under a Hijri calendar), number literals are finite (<c>1e400</c> is not a
/// number, not infinity), and a binary operator has a value on each side (NCalc's parser let <c>&amp;&amp; true</c> pass as
/// <c>true</c>).</summary>
internal static class ExpressionLiterals
{
    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    private static readonly string[] BinaryOnly = ["&&", "||", "==", "!=", "<>", "<=", ">=", "<<", ">>", "<", ">", "*", "/", "%", "&", "|", "^", "=", "?", ":"];

    /// <summary>The first line of a parser's message.</summary>
    public static string FirstLine(string message) => message.Trim().Split('\n', 2)[0].TrimEnd('\r', ' ');

    /// <summary>NCalc's parse, in the invariant culture: it reads literals with the current one.</summary>
    public static NCalc.Domain.LogicalExpression ParseInvariant(string rewritten)
    {
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            return NCalc.Expression.Compile(rewritten, true);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    /// <summary>A date literal's instant: ISO 8601, a time without an offset read as UTC; null when it is not ISO.</summary>
    public static DateTimeOffset? Date(string literal)
    {
        var inner = literal.Length >= 2 && literal[0] == '#' && literal[^1] == '#' ? literal[1..^1].Trim() : literal;
        return DateTimeOffset.TryParseExact(inner, IsoFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : null;
    }

    /// <summary>Adds a diagnostic for each literal NCalc would misread; true when there was none. Made before NCalc parses.</summary>
    public static bool CheckLiterals(string text, ExpressionLexer lexer, Func<int, SourceLocation> locate, List<Diagnostic> diagnostics)
    {
        var before = diagnostics.Count;
        foreach (var leaf in lexer.Leaves)
        {
            if (leaf.Text.StartsWith('#') && Date(leaf.Text) is null)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, locate(leaf.Offset), DiagnosticCodes.ExpressionSyntax,
                    $"date literal {leaf.Text} is not ISO 8601: write the date as #yyyy-MM-dd#, or a time as #yyyy-MM-ddTHH:mm:ss+08:00#, in \"{text}\""));
            }
            else if (leaf.Text.Length > 0 && (char.IsDigit(leaf.Text[0]) || leaf.Text[0] == '.') &&
                     double.TryParse(leaf.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && !double.IsFinite(number))
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, locate(leaf.Offset), DiagnosticCodes.ExpressionSyntax,
                    $"number {leaf.Text} is out of range (numbers are at most about 1.8e308) in \"{text}\""));
            }
        }

        return diagnostics.Count == before;
    }

    /// <summary>A binary operator needs a value on its left (not the start, an opening bracket, a comma or another
    /// operator), and no operator ends an expression or a bracket. Checked once NCalc has parsed the expression, which
    /// reports most such errors itself, but recovers from some by dropping what it could not read.</summary>
    public static bool CheckOperators(string text, Func<int, SourceLocation> locate, List<Diagnostic> diagnostics)
    {
        var before = diagnostics.Count;
        var afterValue = false; // the previous token was a value (or a closing bracket)
        var lastOperator = (At: -1, Text: "");
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (c is '\'' or '[' or '#')
            {
                var close = c == '[' ? ']' : c;
                i++;
                while (i < text.Length && text[i] != close)
                {
                    i += c == '\'' && text[i] == '\\' ? 2 : 1;
                }

                i++;
                (afterValue, lastOperator) = (true, (-1, ""));
                continue;
            }

            if (char.IsLetterOrDigit(c) || c is '_' or '.' or '@')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '.' or '@' ||
                                           (text[i] is '+' or '-' && i > start && char.IsDigit(text[start]) && text[i - 1] is 'e' or 'E')))
                {
                    i++;
                }

                var word = text[start..i];
                if (word.Equals("and", StringComparison.OrdinalIgnoreCase) || word.Equals("or", StringComparison.OrdinalIgnoreCase))
                {
                    Binary(start, word);
                }
                else if (word.Equals("not", StringComparison.OrdinalIgnoreCase))
                {
                    (afterValue, lastOperator) = (false, (start, word));
                }
                else
                {
                    (afterValue, lastOperator) = (true, (-1, ""));
                }

                continue;
            }

            if (c is '(' or ',')
            {
                if (c == ',' && lastOperator.At >= 0)
                {
                    Dangling();
                }

                (afterValue, lastOperator) = (false, (-1, ""));
                i++;
                continue;
            }

            if (c == ')')
            {
                if (lastOperator.At >= 0)
                {
                    Dangling();
                }

                (afterValue, lastOperator) = (true, (-1, ""));
                i++;
                continue;
            }

            var op = BinaryOnly.FirstOrDefault(o => text.AsSpan(i).StartsWith(o, StringComparison.Ordinal));
            if (op is not null)
            {
                Binary(i, op);
                i += op.Length;
                continue;
            }

            // '!', '-', '+', '~': may stand before a value.
            (afterValue, lastOperator) = (false, (i, c.ToString()));
            i++;
        }

        if (lastOperator.At >= 0)
        {
            Dangling();
        }

        return diagnostics.Count == before;

        void Binary(int at, string op)
        {
            if (!afterValue)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, locate(at), DiagnosticCodes.ExpressionSyntax,
                    $"expression syntax error: '{op}' has no value on its left in \"{text}\""));
            }

            (afterValue, lastOperator) = (false, (at, op));
        }

        void Dangling()
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, locate(lastOperator.At), DiagnosticCodes.ExpressionSyntax,
                $"expression syntax error: '{lastOperator.Text}' has no value on its right in \"{text}\""));
            lastOperator = (-1, "");
        }
    }
}
