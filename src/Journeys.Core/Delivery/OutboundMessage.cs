using Journeys.Definitions;

namespace Journeys.Delivery;

/// <summary>A message the engine hands to a channel.</summary>
public sealed record OutboundMessage
{
    /// <summary>Stable across retries and restarts: journey, version, customer, instance, step and send index.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>The channel's name.</summary>
    public required string Channel { get; init; }

    /// <summary>The template's name (rendering is the channel side's business).</summary>
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

    /// <summary>The subject rendered from the template's front matter (e-mail), when the folder has templates.</summary>
    public string? Subject { get; init; }

    /// <summary>The body rendered from the Liquid template for this channel, when the folder has templates.</summary>
    public string? Body { get; init; }

    /// <summary>The customer's traits at that moment, for templates.</summary>
    public IReadOnlyDictionary<string, object?> Traits { get; init; } = new Dictionary<string, object?>();

    /// <summary>The properties of the event that led here, if any.</summary>
    public IReadOnlyDictionary<string, object?> EventProperties { get; init; } = new Dictionary<string, object?>();

    /// <summary>True for a message an engine found in its store's outbox at start: decided by an earlier engine and saved,
    /// its end not recorded, so it may have been delivered already (with the same <see cref="IdempotencyKey"/>). Its
    /// attempts start again at 1, with the channel's full <see cref="ChannelDeliveryOptions.MaxAttempts"/>.</summary>
    public bool Redelivered { get; init; }
}
