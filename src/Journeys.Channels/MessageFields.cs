using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>Reading the front matter fields a channel takes from <see cref="OutboundMessage.Fields"/>.</summary>
internal static class MessageFields
{
    /// <summary>The field, trimmed, or null when missing or blank.</summary>
    public static string? Get(OutboundMessage message, string name) =>
        message.Fields.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
