namespace Journeys.Diagnostics;

/// <summary>How serious a <see cref="Diagnostic"/> is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>The definition loads, but probably does not do what its author meant.</summary>
    Warning,

    /// <summary>The definition cannot be loaded.</summary>
    Error,
}
