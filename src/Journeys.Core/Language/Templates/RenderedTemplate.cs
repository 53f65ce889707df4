namespace Journeys.Language.Templates;

/// <summary>A rendered message: its subject (plain text, when the template has one), its body, and whether the body is
/// HTML (the template's front matter says <c>format: html</c>).</summary>
internal sealed record RenderedTemplate(string? Subject, string Body, bool IsHtml);
