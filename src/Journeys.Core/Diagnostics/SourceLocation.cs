namespace Journeys.Diagnostics;

/// <summary>A place in an operator's file: 1-based line and column.</summary>
/// <param name="File">The file's path as it was given to the loader.</param>
/// <param name="Line">1-based line; 0 when the problem concerns the whole file.</param>
/// <param name="Column">1-based column; 0 when the problem concerns the whole file or line.</param>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    /// <summary>Formats as <c>file:line:column</c>.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}";

    /// <summary>The place of the character at <paramref name="index"/> of <paramref name="text"/>.</summary>
    internal static SourceLocation At(string file, string text, int index)
    {
        var before = text.AsSpan(0, index);
        var lineStart = before.LastIndexOf('\n') + 1;
        return new SourceLocation(file, 1 + before.Count('\n'), index - lineStart + 1);
    }

    /// <summary>The same place moved right by <paramref name="columns"/> columns and down by <paramref name="lines"/> lines.</summary>
    internal SourceLocation Offset(int lines, int columns) =>
        lines == 0 ? this with { Column = Column + columns } : this with { Line = Line + lines, Column = columns + 1 };
}
