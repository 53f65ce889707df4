using System.Text.Json;

namespace Journeys.Delivery;

/// <summary>The outcome of one <see cref="IJourneyAction.InvokeAsync"/> attempt.</summary>
/// <param name="Status">Done (<see cref="DeliveryStatus.Delivered"/>), retryable or permanent failure.</param>
/// <param name="Result">When done: the answer, a JSON object (its fields are <c>result.&lt;field&gt;</c>); an answer that
/// is not an object is read as <c>{}</c>. Null for failures.</param>
/// <param name="Reason">For failures: why, in words an operator understands.</param>
public readonly record struct ActionResult(DeliveryStatus Status, JsonElement? Result = null, string? Reason = null)
{
    /// <summary>For a retryable failure: how long the receiver asked to be left alone (an HTTP <c>Retry-After</c>), or
    /// null; handled as <see cref="DeliveryResult.RetryAfter"/> is.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The call succeeded with this answer (a JSON object).</summary>
    public static ActionResult Done(JsonElement result) => new(DeliveryStatus.Delivered, result);

    /// <summary>The call succeeded with no answer: <c>{}</c>.</summary>
    public static ActionResult Done() => new(DeliveryStatus.Delivered, EmptyObject);

    /// <summary>A failure worth retrying.</summary>
    public static ActionResult Retry(string reason) => new(DeliveryStatus.RetryableFailure, null, reason);

    /// <summary>A failure worth retrying, but not before <paramref name="retryAfter"/>.</summary>
    public static ActionResult Retry(string reason, TimeSpan retryAfter) =>
        new(DeliveryStatus.RetryableFailure, null, reason) { RetryAfter = retryAfter < TimeSpan.Zero ? TimeSpan.Zero : retryAfter };

    /// <summary>A failure that will not get better.</summary>
    public static ActionResult Permanent(string reason) => new(DeliveryStatus.PermanentFailure, null, reason);

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();
}
