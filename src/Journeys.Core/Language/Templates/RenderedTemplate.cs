namespace Journeys.Language.Templates;

/// <summary>A template rendered for one send: the front matter's subject (or null), the body, and the front matter's
/// fields by name (empty when it has none).</summary>
internal sealed record RenderedTemplate(string? Subject, string Body, IReadOnlyDictionary<string, string> Fields);
