using Journeys.Language.Loading;

namespace Journeys.Tests.Support;

/// <summary>Minimal journeys around one expression, at a known place in <c>j.yaml</c>.</summary>
internal static class Snippets
{
    /// <summary>An entry guard (event in scope). The expression's first character stands at j.yaml:4:8.</summary>
    public static JourneyCatalog Guard(string expression) => Diagnose.Load($"""
        journey: x
        entry:
          on: signed_up
          if: "{expression}"
        start: a
        steps:
          a:
        """);

    /// <summary>A <c>when</c> entry (no event in scope). The expression's first character stands at j.yaml:3:10.</summary>
    public static JourneyCatalog When(string expression) => Diagnose.Load($"""
        journey: x
        entry:
          when: "{expression}"
        start: a
        steps:
          a:
        """);
}
