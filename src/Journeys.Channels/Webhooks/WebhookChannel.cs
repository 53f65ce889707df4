using System.Text;
using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>Posts each message as JSON to a receiver of the company's own (loyalty points, coupons, a CRM), signed
/// with a shared secret (<see cref="WebhookSignature"/>) and carrying the message's idempotency key in the
/// <c>Idempotency-Key</c> header, the same on every retry, so the receiver can drop repeats.</summary>
/// <remarks>Each attempt has a timeout; connection failures, timeouts, HTTP 408, 429 and 5xx are a
/// <see cref="DeliveryStatus.RetryableFailure"/> carrying the receiver's <c>Retry-After</c>, which the engine's delivery
/// pipeline retries (or, with <see cref="HttpChannelOptions.MaxRetries"/> set, outside an engine, the channel itself,
/// with jittered exponential back-off); a circuit breaker stops calling a receiver that keeps failing. A 2xx answer is
/// <see cref="DeliveryStatus.Delivered"/>; any other 4xx is a <see cref="DeliveryStatus.PermanentFailure"/> and is not
/// retried. Safe to call from several
/// threads; one instance keeps one circuit for its receiver.</remarks>
public sealed class WebhookChannel : ISelfRetryingChannel
{
    /// <summary>The header that carries <see cref="OutboundMessage.IdempotencyKey"/>: <c>Idempotency-Key</c>.</summary>
    public const string IdempotencyKeyHeader = HttpDelivery.IdempotencyKeyHeader;

    private readonly HttpDelivery _delivery;

    /// <summary>Creates the channel with clients from a factory: each send asks for the client named
    /// <see cref="HttpChannelOptions.Name"/>.</summary>
    /// <param name="options">The settings; checked now, throwing an <see cref="ArgumentException"/> that names every
    /// wrong property.</param>
    /// <param name="httpClientFactory">The factory, usually from dependency injection.</param>
    public WebhookChannel(WebhookChannelOptions options, IHttpClientFactory httpClientFactory)
        : this(options, HttpDelivery.ClientFrom(httpClientFactory, options))
    {
    }

    /// <summary>Creates the channel over one client the caller owns (and disposes).</summary>
    /// <param name="options">The settings; checked now, throwing an <see cref="ArgumentException"/> that names every
    /// wrong property.</param>
    /// <param name="httpClient">The client every send uses.</param>
    public WebhookChannel(WebhookChannelOptions options, HttpClient httpClient)
        : this(options, HttpDelivery.ClientFrom(httpClient))
    {
    }

    private WebhookChannel(WebhookChannelOptions options, Func<HttpClient> client)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        Name = options.Name;
        _delivery = new HttpDelivery(options, Encoding.UTF8.GetBytes(options.Secret!), client);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public int AttemptsPerSend => _delivery.AttemptsPerSend;

    /// <inheritdoc />
    public string RetrySetting => _delivery.RetrySetting;

    /// <inheritdoc />
    public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _delivery.SendAsync(message.IdempotencyKey, WebhookPayload.Serialize(message), "application/json; charset=utf-8", cancellationToken);
    }
}
