namespace Journeys.Language.Templates;

/// <summary>A message's text, rendered from its Liquid template for one customer.</summary>
/// <param name="Subject">The subject from the template's front matter (e-mail), if it has one.</param>
/// <param name="Body">The rendered body.</param>
public sealed record RenderedContent(string? Subject, string Body);
