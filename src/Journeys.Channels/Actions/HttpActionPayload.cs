using System.Text.Json;
using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>The JSON body an <see cref="HttpJourneyAction"/> posts: the call, flattened, with the webhook body's
/// camelCase names (<see cref="WebhookPayload"/>).</summary>
internal sealed record HttpActionPayload(
    string Action,
    string IdempotencyKey,
    string CustomerId,
    string Journey,
    int Version,
    string Step,
    DateTimeOffset Timestamp,
    IReadOnlyDictionary<string, object?> Arguments)
{
    /// <summary>The UTF-8 body for a call.</summary>
    public static byte[] Serialize(ActionRequest request) => JsonSerializer.SerializeToUtf8Bytes(
        new HttpActionPayload(
            request.Action,
            request.IdempotencyKey,
            request.CustomerId,
            request.JourneyId,
            request.JourneyVersion,
            request.Step,
            request.Timestamp,
            request.Arguments),
        WebhookPayload.Options);
}
