using System.Globalization;
using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>The renderer used when none is given: the template's name is the subject, and a plain text body names the
/// template, the journey and the step. Enough to see messages flow end to end before real templates exist.</summary>
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
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"{message.Template}\r\n\r\nJourney {message.JourneyId} (version {message.JourneyVersion}), step {message.Step}.\r\n");
        return ValueTask.FromResult(new RenderedMessage(message.Template, Html: null, text));
    }
}
