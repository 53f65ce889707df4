using System.Text;
using System.Text.Json;
using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>An action answered by an HTTP service of the company's own (the loyalty system that credits points, a CRM
/// that opens a ticket): each call is posted as JSON, and the JSON object the service answers with is the call's result,
/// which the step's transitions read as <c>result.&lt;field&gt;</c>.</summary>
/// <remarks>
/// <para>One <see cref="InvokeAsync"/> is one attempt; retries with jittered backoff, the attempt timeout, the circuit
/// breaker and the rate limit are the engine's delivery pipeline, the same as a channel's. The request is a
/// <c>POST</c> of <c>{"action", "idempotencyKey", "customerId", "journey", "version", "step", "timestamp",
/// "arguments"}</c> with the idempotency key also in the <c>Idempotency-Key</c> header (the same on every attempt, so
/// the service answers a repeat with the first call's result instead of acting twice), the configured headers and, when
/// there is a secret, a <see cref="WebhookSignature"/>.</para>
/// <para>The answer: a 2xx whose body is a JSON object is done with that object as the result; a 2xx with an empty
/// body, or JSON that is not an object (an array, a number, <c>null</c>), is done with the result <c>{}</c>; a 2xx whose
/// body is not JSON at all is a permanent failure saying so. Connection failures, HTTP 408, 429, 5xx and
/// <see cref="HttpActionOptions.Timeout"/> are retryable, with the service's <c>Retry-After</c>; any other answer is a
/// permanent failure carrying the start of the service's answer. Cancellation of the caller's token is thrown, not
/// reported. Safe to call from several threads.</para>
/// </remarks>
public sealed class HttpJourneyAction : IJourneyAction
{
    /// <summary>The header that carries <see cref="ActionRequest.IdempotencyKey"/>: <c>Idempotency-Key</c>.</summary>
    public const string IdempotencyKeyHeader = HttpDelivery.IdempotencyKeyHeader;

    private const string ContentType = "application/json; charset=utf-8";

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private readonly HttpDelivery _delivery;
    private readonly TimeProvider _time;
    private readonly TimeSpan? _timeout;

    /// <summary>Creates the action with clients from a factory: each call asks for the client named
    /// <see cref="Microsoft.Extensions.DependencyInjection.JourneysBuilderExtensions.ActionOptionsName"/> of
    /// <see cref="HttpChannelOptions.Name"/> (<c>action:</c> and the name: a channel of the same name keeps its own client).</summary>
    /// <param name="options">The settings; checked now, throwing an <see cref="ArgumentException"/> that names every
    /// wrong property.</param>
    /// <param name="httpClientFactory">The factory, usually from dependency injection.</param>
    public HttpJourneyAction(HttpActionOptions options, IHttpClientFactory httpClientFactory)
        : this(options, HttpDelivery.ClientFrom(httpClientFactory, options, Microsoft.Extensions.DependencyInjection.JourneysBuilderExtensions.ActionOptionsName))
    {
    }

    /// <summary>Creates the action over one client the caller owns (and disposes).</summary>
    /// <param name="options">The settings; checked now, throwing an <see cref="ArgumentException"/> that names every
    /// wrong property.</param>
    /// <param name="httpClient">The client every call uses.</param>
    public HttpJourneyAction(HttpActionOptions options, HttpClient httpClient)
        : this(options, HttpDelivery.ClientFrom(httpClient))
    {
    }

    private HttpJourneyAction(HttpActionOptions options, Func<HttpClient> client)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        Name = options.Name;
        _time = options.TimeProvider;
        _timeout = options.Timeout;
        _delivery = new HttpDelivery(options, options.Secret is null ? null : Encoding.UTF8.GetBytes(options.Secret), client);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public async ValueTask<ActionResult> InvokeAsync(ActionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var body = HttpActionPayload.Serialize(request);
        using var timeout = _timeout is { } after ? new CancellationTokenSource(after, _time) : null;
        using var attempt = timeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        JsonElement? answer = null;
        DeliveryResult result;
        try
        {
            result = await _delivery.SendAsync(request.IdempotencyKey, body, ContentType,
                (response, content) => Read(response, content, out answer), attempt?.Token ?? cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested)
        {
            return ActionResult.Retry($"timed out: no answer within {_timeout}");
        }

        return result.Status switch
        {
            DeliveryStatus.Delivered => answer is { } json ? ActionResult.Done(json) : ActionResult.Done(),
            DeliveryStatus.RetryableFailure when result.RetryAfter is { } wait => ActionResult.Retry(result.Reason!, wait),
            DeliveryStatus.RetryableFailure => ActionResult.Retry(result.Reason!),
            _ => ActionResult.Permanent(result.Reason!),
        };
    }

    /// <summary>A 2xx is done, its body's JSON object the answer (none when the body is empty or not an object); a 2xx
    /// that is not JSON is a permanent failure; any other status a refusal.</summary>
    private static DeliveryResult Read(HttpResponseMessage response, byte[] content, out JsonElement? answer)
    {
        answer = null;
        if (!response.IsSuccessStatusCode)
        {
            return HttpExchange.Refused(response, content);
        }

        var text = content.AsMemory();
        if (text.Span.StartsWith(Utf8Bom))
        {
            text = text[Utf8Bom.Length..];
        }

        if (text.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return DeliveryResult.Delivered;
        }

        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                answer = json.RootElement.Clone();
            }

            return DeliveryResult.Delivered;
        }
        catch (JsonException e)
        {
            return DeliveryResult.Permanent($"{HttpExchange.Describe(response)} answered with a body that is not JSON ({e.Message})");
        }
    }
}
