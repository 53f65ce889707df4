namespace Journeys.Language.Templates;

/// <summary>A template rendered for one send: the front matter's subject (plain text, or null), the body, whether the
/// body is HTML (the front matter says <c>format: html</c>), and the front matter's fields by name (empty when it has
/// none).</summary>
internal sealed record RenderedTemplate(string? Subject, string Body, bool IsHtml, IReadOnlyDictionary<string, string> Fields);
