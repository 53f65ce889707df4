using Journeys.Diagnostics;
using Journeys.Tests.Support;

namespace Journeys.Tests.Diagnostics;

/// <summary>A diagnostic prints as one line with no control character in it: a newline or an ESC in an operator's YAML
/// (a step name, a goto) or in a file name can neither forge a second diagnostic line nor send terminal escapes.</summary>
public sealed class DiagnosticEscapeTests
{
    [Fact]
    public void ToString_EscInAGotoTarget_IsShownEscaped()
    {
        var catalog = Diagnose.Load("""
            journey: x
            entry: { on: e }
            start: a
            steps:
              a:
                then:
                  - after: 1d
                    goto: "b\e[2J\e]0;pwned\a"
              b:
            """);

        var text = Assert.Single(catalog.Diagnostics, d => d.Code == DiagnosticCodes.UnknownStep).ToString();

        Assert.All(catalog.Diagnostics, d => Assert.DoesNotContain(d.ToString(), char.IsControl));
        Assert.Contains("b\\u001b[2J\\u001b]0;pwned\\u0007", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_NewlineInAMessageOrAFileName_CannotForgeASecondDiagnostic()
    {
        var forged = new Diagnostic(DiagnosticSeverity.Warning, new SourceLocation("j.yaml\nj.yaml:1:1: all good", 3, 5), "JRN001",
            "unknown step 'x\r\nj.yaml:9:9: fine' \u2028y\u0085z\u001b[2J");

        var text = forged.ToString();

        Assert.Equal("j.yaml\\nj.yaml:1:1: all good:3:5: warning: unknown step 'x j.yaml:9:9: fine' \\u2028y\\u0085z\\u001b[2J", text);
        Assert.DoesNotContain(text, char.IsControl);
    }

    [Fact]
    public void ToString_PlainText_IsUnchanged()
    {
        var d = new Diagnostic(DiagnosticSeverity.Error, new SourceLocation("旅程.yaml", 1, 2), "JRN001", "unknown step '问候' — tab-free");

        Assert.Equal("旅程.yaml:1:2: unknown step '问候' — tab-free", d.ToString());
    }
}
