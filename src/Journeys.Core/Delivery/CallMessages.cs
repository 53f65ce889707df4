using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Journeys.Delivery;

/// <summary>A step's <c>call:</c> travels as an <see cref="OutboundMessage"/>, so it goes through the same outbox, store
/// rows, lanes and resilience pipeline as a send: its <see cref="OutboundMessage.Channel"/> is the action's name, its
/// <see cref="OutboundMessage.Template"/> the marker <see cref="Template"/> (no template name starts with <c>$</c>), its
/// event properties the evaluated <c>with:</c> arguments. What this file knows is that mapping, both ways.</summary>
internal static class CallMessages
{
    /// <summary>The template of every call message: it tells a call from a send (lanes, the engine's end of delivery).</summary>
    public const string Template = "$call";

    /// <summary>The largest answer a call keeps, in bytes of its JSON: the answer is written into the <c>called</c>
    /// decision and read by the step's guards, so an action answering a whole document would grow every sink and store
    /// that keeps decisions. A larger answer is a failure for good (the run moves along <c>$failed</c>).</summary>
    public const int MaxAnswerBytes = 64 * 1024;

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>True for a call, false for a send.</summary>
    public static bool IsCall(OutboundMessage message) => message.Template == Template;

    /// <summary>The request an action gets for a call message.</summary>
    public static ActionRequest ToRequest(OutboundMessage message) => new()
    {
        IdempotencyKey = message.IdempotencyKey,
        Action = message.Channel,
        CustomerId = message.CustomerId,
        JourneyId = message.JourneyId,
        JourneyVersion = message.JourneyVersion,
        Step = message.Step,
        Timestamp = message.Timestamp,
        Arguments = message.EventProperties,
    };

    /// <summary>An action's outcome as a delivery's: a done call keeps its answer (an object; anything else is <c>{}</c>);
    /// an answer over <see cref="MaxAnswerBytes"/> is a permanent failure that says its size.</summary>
    public static DeliveryResult ToDelivery(ActionResult result) => result.Status switch
    {
        DeliveryStatus.Delivered when result.Result is { ValueKind: JsonValueKind.Object } answer
            && JsonMarshal.GetRawUtf8Value(answer).Length is var size && size > MaxAnswerBytes =>
            DeliveryResult.Permanent(string.Create(CultureInfo.InvariantCulture,
                $"the action answered {size:N0} bytes of JSON, over the limit of {MaxAnswerBytes:N0}")),
        DeliveryStatus.Delivered => DeliveryResult.Delivered with
        {
            Answer = result.Result is { ValueKind: JsonValueKind.Object } answer ? answer.Clone() : EmptyObject,
        },
        _ => new DeliveryResult(result.Status, result.Reason ?? "the action failed") { RetryAfter = result.RetryAfter },
    };

    /// <summary>Makes one attempt at a call with <paramref name="action"/>: an <see cref="IChannel"/>, so the delivery
    /// pipeline carries calls as it carries sends.</summary>
    public static IChannel AsChannel(IJourneyAction action) => new ActionChannel(action);

    private sealed class ActionChannel(IJourneyAction action) : IChannel
    {
        public string Name => action.Name;

        public async ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken) =>
            ToDelivery(await action.InvokeAsync(ToRequest(message), cancellationToken).ConfigureAwait(false));
    }
}
