using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>The JSON body a <see cref="WebhookChannel"/> posts: the message, flattened, with camelCase names; the
/// rendered subject and body when the message has them.</summary>
internal sealed record WebhookPayload(
    string IdempotencyKey,
    string CustomerId,
    string Journey,
    int Version,
    string Step,
    string Template,
    string Channel,
    MessageCategory Category,
    int Priority,
    DateTimeOffset Timestamp,
    IReadOnlyDictionary<string, object?> Traits,
    IReadOnlyDictionary<string, object?> EventProperties,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Subject,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Body,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Redelivered)
{
    /// <summary>camelCase names and enums, text unescaped where JSON allows; shared with the HTTP action's body.</summary>
    internal static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The UTF-8 body for a message.</summary>
    public static byte[] Serialize(OutboundMessage message) => JsonSerializer.SerializeToUtf8Bytes(
        new WebhookPayload(
            message.IdempotencyKey,
            message.CustomerId,
            message.JourneyId,
            message.JourneyVersion,
            message.Step,
            message.Template,
            message.Channel,
            message.Category,
            message.Priority,
            message.Timestamp,
            message.Traits,
            message.EventProperties,
            message.Subject,
            message.Body,
            message.Redelivered),
        Options);
}
