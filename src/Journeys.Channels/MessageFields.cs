using System.Globalization;
using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>Reading what a channel takes from an <see cref="OutboundMessage"/>: the front matter fields
/// (<see cref="OutboundMessage.Fields"/>), an address trait, and the refusal of a message the engine did not render.</summary>
internal static class MessageFields
{
    /// <summary>The field, trimmed, or null when missing or blank.</summary>
    public static string? Get(OutboundMessage message, string name) =>
        message.Fields.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>The trait as invariant text, trimmed, or null when missing or blank (a device token, a WeCom user id).</summary>
    public static string? Trait(OutboundMessage message, string trait) =>
        message.Traits.TryGetValue(trait, out var value) && Convert.ToString(value, CultureInfo.InvariantCulture)?.Trim() is { Length: > 0 } text
            ? text
            : null;

    /// <summary>The permanent failure of a message without a body: its template was not rendered.</summary>
    public static DeliveryResult NotRendered(OutboundMessage message) => DeliveryResult.Permanent(
        $"{SmsGatewayChannel.NoBodyReason}: template '{message.Template}' was not rendered (the journey folder has no templates/)");
}
