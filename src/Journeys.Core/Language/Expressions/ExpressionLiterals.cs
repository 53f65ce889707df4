using System.Globalization;
using Journeys.Diagnostics;

namespace Journeys.Language.Expressions;

/// <summary>Checks NCalc cannot be trusted with, made on the operator's text before it is parsed: date literals are ISO
/// 8601 only (NCalc reads <c>#...#</c> with the current culture: <c>#01/02/2026#</c> meant different days on different
/// machines, and <c>#2026-01-01#</c> failed under a Hijri calendar), and number literals are finite (<c>1e400</c> is an
/// error, not infinity).</summary>
internal static class ExpressionLiterals
{
    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

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
}
