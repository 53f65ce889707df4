using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>Turns an <see cref="OutboundMessage"/> (a template name, the customer's traits, the event's properties)
/// into the subject and bodies a channel sends. The SMTP channel takes one; a Liquid renderer plugs in the same way.
/// Implementations must be safe to call from several threads.</summary>
public interface IMessageRenderer
{
    /// <summary>Renders one message. An exception here counts as a retryable failure of the send, so a renderer that
    /// knows a message can never be rendered (no such template) should say so in its exception's message.</summary>
    /// <param name="message">The message to render.</param>
    /// <param name="cancellationToken">Cancels the rendering.</param>
    /// <returns>The subject and at least one of an HTML and a plain text body.</returns>
    ValueTask<RenderedMessage> RenderAsync(OutboundMessage message, CancellationToken cancellationToken);
}
