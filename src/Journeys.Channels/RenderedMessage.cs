namespace Journeys.Channels;

/// <summary>What an <see cref="IMessageRenderer"/> makes of a message: a subject and an HTML body, a plain text body,
/// or both (sent as alternatives, so the reader's program picks one).</summary>
/// <param name="Subject">The subject line.</param>
/// <param name="Html">The HTML body, if any.</param>
/// <param name="Text">The plain text body, if any.</param>
public sealed record RenderedMessage(string Subject, string? Html, string? Text);
