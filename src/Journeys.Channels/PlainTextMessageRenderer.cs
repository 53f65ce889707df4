using System.Globalization;
using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>The renderer used when none is given: the message as the engine rendered it from its Liquid template
/// (<see cref="OutboundMessage.Subject"/>, <see cref="OutboundMessage.Body"/>); for a folder without templates, the
/// template's name is the subject and a plain text body names the template, the journey and the step.</summary>
public sealed class PlainTextMessageRenderer : IMessageRenderer
{
    /// <summary>The one instance (it holds no state).</summary>
    public static PlainTextMessageRenderer Instance { get; } = new();

    private PlainTextMessageRenderer()
    {
    }

    /// <inheritdoc />
    public ValueTask<RenderedMessage> RenderAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Body is { } body)
        {
            var isHtml = body.TrimStart().StartsWith('<');
            return ValueTask.FromResult(new RenderedMessage(message.Subject ?? message.Template, isHtml ? body : null, isHtml ? null : body));
        }

        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"{message.Template}\r\n\r\nJourney {message.JourneyId} (version {message.JourneyVersion}), step {message.Step}.\r\n");
        return ValueTask.FromResult(new RenderedMessage(message.Template, Html: null, text));
    }
}
