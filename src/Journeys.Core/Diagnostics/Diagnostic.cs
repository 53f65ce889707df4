namespace Journeys.Diagnostics;

/// <summary>A problem found while loading journeys, pointing at the exact place in the operator's file.</summary>
/// <param name="Severity">Whether loading fails because of it.</param>
/// <param name="Location">Where it is.</param>
/// <param name="Code">A stable identifier for the kind of problem, such as <c>JRN005</c>.</param>
/// <param name="Message">What is wrong, in the operator's terms. Kept on one line: line breaks (from a library's
/// message or a multi-line expression quoted in it) are read as spaces, so each diagnostic prints as one line.</param>
public sealed record Diagnostic(DiagnosticSeverity Severity, SourceLocation Location, string Code, string Message)
{
    /// <summary>What is wrong, in the operator's terms, on one line.</summary>
    public string Message { get; init => field = OneLine(value); } = OneLine(Message);

    /// <summary>Formats as <c>file:line:column: message</c> (warnings as <c>file:line:column: warning: message</c>), on one
    /// line: control characters in the file name or the message (a newline or an ESC from an operator's YAML) are shown
    /// escaped (<c>\n</c>, <c>\u001b</c>), so they can neither forge a second diagnostic line nor reach the terminal.</summary>
    public override string ToString() => ControlCharacters.Escape(
        Severity == DiagnosticSeverity.Error ? $"{Location}: {Message}" : $"{Location}: warning: {Message}");

    private static string OneLine(string message) =>
        message.AsSpan().IndexOfAny('\r', '\n') < 0
            ? message
            : string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
