using Journeys.Diagnostics;
using Journeys.Tests.Support;
using static Journeys.Tests.Support.Snippets;

namespace Journeys.Tests.Expressions;

/// <summary>Only the language's names and functions can be reached: attempts at .NET members, types or NCalc's own
/// functions are load errors (unknown name or function, or syntax), never compiled, never evaluated. The guard stands on
/// line 4 of j.yaml, its first character at column 8; a guard that would run would, for Environment.Exit, end the run.</summary>
public sealed class EscapeAttemptTests
{
    [Theory]
    [InlineData("System.IO.File.Exists('x')", DiagnosticCodes.UnknownName, "j.yaml:4:8")]
    [InlineData("System.IO.File.Delete('journeys.db') == null", DiagnosticCodes.UnknownName, "j.yaml:4:8")]
    [InlineData("customer.GetType()", DiagnosticCodes.UnknownName, "j.yaml:4:8")]
    [InlineData("typeof(x)", DiagnosticCodes.UnknownName, "j.yaml:4:8")]
    [InlineData("new Object()", DiagnosticCodes.ExpressionSyntax, "j.yaml:4:12")]
    [InlineData("Environment.Exit(1)", DiagnosticCodes.UnknownName, "j.yaml:4:8")]
    [InlineData("Environment.Exit(1) == 0 || true", DiagnosticCodes.UnknownName, "j.yaml:4:8")]
    [InlineData("[customer.id].Length", DiagnosticCodes.ExpressionSyntax, "j.yaml:4:22")]
    [InlineData("customer.id.Length > 0", DiagnosticCodes.UnknownName, "j.yaml:4:8")]
    [InlineData("'x'.GetType() == 1", DiagnosticCodes.ExpressionSyntax, "j.yaml:4:12")]
    [InlineData("GetType() == 1", DiagnosticCodes.UnknownName, "j.yaml:4:8")]
    [InlineData("Sqrt(4) == 2", DiagnosticCodes.UnknownName, "j.yaml:4:8")]
    [InlineData("Abs(-1) == 1", DiagnosticCodes.UnknownName, "j.yaml:4:8")]
    [InlineData("customer.a & 1", DiagnosticCodes.ExpressionSyntax, "j.yaml:4:8")]
    public void EscapeAttempt_InAGuard_IsRefusedAtLoadWithNoJourney(string expression, string code, string location)
    {
        var catalog = Guard(expression);

        Diagnose.Refused(catalog, code, location);
        Assert.All(catalog.Diagnostics, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
    }

    [Fact]
    public void EscapeAttempt_UnknownFunction_NamesTheFunctionsThatExist()
    {
        var catalog = Guard("Environment.Exit(1)");

        var d = Diagnose.Refused(catalog, DiagnosticCodes.UnknownName, "j.yaml:4:8");
        Assert.Equal("unknown function 'Environment.Exit': functions are count('type', days), sum('type', 'property', days), lastSeen('type'), daysSince(timestamp), hoursSince(timestamp), rule('Workflow.Rule'), if(condition, then, else), min(a, b), max(a, b), abs(x), contains(listOrText, value)", d.Message);
    }
}
