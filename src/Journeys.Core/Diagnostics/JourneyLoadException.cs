namespace Journeys.Diagnostics;

/// <summary>Thrown by APIs that need a valid catalog when the definitions have errors.</summary>
public sealed class JourneyLoadException : JourneyException
{
    /// <summary>Creates the exception from the loader's diagnostics.</summary>
    public JourneyLoadException(IReadOnlyList<Diagnostic> diagnostics)
        : base(BuildMessage(diagnostics)) => Diagnostics = diagnostics;

    /// <summary>Every diagnostic the loader reported, errors and warnings.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    private static string BuildMessage(IReadOnlyList<Diagnostic> diagnostics)
    {
        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        return $"The journey definitions have {errors.Count} error(s):{Environment.NewLine}" +
               string.Join(Environment.NewLine, errors);
    }
}
