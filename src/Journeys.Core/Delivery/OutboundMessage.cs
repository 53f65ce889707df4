
namespace Journeys.Delivery;

/// <summary>A message the engine hands to a channel.</summary>
public sealed record OutboundMessage
{
    /// <summary>Stable across retries and restarts: journey, version, customer, instance, step and send index.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>The channel's name.</summary>
    public required string Channel { get; init; }

    /// <summary>The template's name, for logs and for receivers that render on their side; the text to send is
    /// <see cref="Body"/>.</summary>
    public required string Template { get; init; }

    /// <summary>Marketing or transactional.</summary>
    public MessageCategory Category { get; init; }

    /// <summary>The send's priority.</summary>
    public int Priority { get; init; }

    /// <summary>The customer's id.</summary>
    public required string CustomerId { get; init; }

    /// <summary>The journey that sends it.</summary>
    public required string JourneyId { get; init; }

    /// <summary>The journey's version.</summary>
    public int JourneyVersion { get; init; }

    /// <summary>The step that sends it.</summary>
    public required string Step { get; init; }

    /// <summary>When the engine decided to send it (virtual time in simulation).</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>The subject rendered from the template's front matter (<c>subject:</c>), or null when the template has
    /// none or the journey folder has no templates.</summary>
    public string? Subject { get; init; }

    /// <summary>The text to send: rendered once, by the engine, when it decided the send, from the journey folder's Liquid
    /// template for this channel (<c>templates/&lt;name&gt;.&lt;channel&gt;.liquid</c>, else <c>&lt;name&gt;.liquid</c>).
    /// Null when the folder has no <c>templates/</c>: then a channel that carries the message as data (webhook, JSON
    /// lines, console) delivers it with the template's name, and one that must put text before a person (SMS, e-mail)
    /// fails it permanently, saying so, rather than sending the template's name. Channels never render.</summary>
    public string? Body { get; init; }

    /// <summary>The provider fields rendered from the template's front matter (<c>fields:</c>, each value Liquid), by name:
    /// what a provider needs beside the text, such as an SMS template code and its parameters or a WeCom message type.
    /// Empty when the template has none or the journey folder has no templates. Rendered once, by the engine, with
    /// <see cref="Body"/>; each channel documents the names it reads.</summary>
    public IReadOnlyDictionary<string, string> Fields { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty;
    /// <summary>True when <see cref="Body"/> is HTML: its template says <c>format: html</c> in its front matter, and the
    /// customer data in it was HTML-encoded when it was rendered. False for plain text, whatever it looks like: a channel
    /// that can send both (e-mail) goes by this, never by the body's first character.</summary>
    public bool BodyIsHtml { get; init; }

    /// <summary>The customer's traits at that moment, for templates.</summary>
    public IReadOnlyDictionary<string, object?> Traits { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, object?>.Empty;

    /// <summary>The properties of the event that led here, if any.</summary>
    public IReadOnlyDictionary<string, object?> EventProperties { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, object?>.Empty;

    /// <summary>Delivery attempts already made for this message, as its store recorded them: 0 for a message this engine
    /// decided. A message delivered again after a restart (see <see cref="Redelivered"/>) goes on from there: its next
    /// attempt is number <c>PreviousAttempts + 1</c>, and it is given up once the channel's
    /// <see cref="ChannelDeliveryOptions.MaxAttempts"/> are spent in all (one attempt at least). Recorded are the attempts
    /// that failed with another to follow, with the partition's next save; an attempt under way at a crash is not.</summary>
    public int PreviousAttempts { get; init; }

    /// <summary>True for a message an engine found in its store's outbox at start: decided and saved by an earlier engine,
    /// its end not recorded, so it may have reached its receiver already (with the same <see cref="IdempotencyKey"/>).</summary>
    public bool Redelivered { get; init; }
}
