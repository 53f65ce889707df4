using System.Globalization;
using System.Text;

namespace Journeys.Diagnostics;

/// <summary>Shows control characters as escapes, so text an operator or a customer wrote (a step name, a file name, an id)
/// cannot start a new line, forging a diagnostic of its own, or act on the terminal it is printed to (ESC sequences):
/// <c>\n</c>, <c>\r</c>, <c>\t</c>, other C0 and C1 controls and the line and paragraph separators as <c>\uXXXX</c>.</summary>
internal static class ControlCharacters
{
    public static string Escape(string text)
    {
        if (!text.AsSpan().ContainsAny(Escaped))
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\n' => escaped.Append("\\n"),
                '\r' => escaped.Append("\\r"),
                '\t' => escaped.Append("\\t"),
                _ when Escaped.Contains(c) => escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => escaped.Append(c),
            };
        }

        return escaped.ToString();
    }

    private static readonly System.Buffers.SearchValues<char> Escaped = System.Buffers.SearchValues.Create(
        Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Select(i => (char)i).Append('\u2028').Append('\u2029').ToArray());
}
