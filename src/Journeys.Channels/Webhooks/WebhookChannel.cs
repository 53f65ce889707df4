using System.Text;
using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>Posts each message as JSON to a receiver of the company's own (loyalty points, coupons, a CRM), signed
/// with a shared secret (<see cref="WebhookSignature"/>) and carrying the message's idempotency key in the
/// <c>Idempotency-Key</c> header, the same on every retry, so the receiver can drop repeats.</summary>
/// <remarks>One attempt per send. A 2xx answer is <see cref="DeliveryStatus.Delivered"/>; connection failures, HTTP
/// 408, 429 and 5xx are a <see cref="DeliveryStatus.RetryableFailure"/> carrying the receiver's <c>Retry-After</c>, which
/// the engine's delivery pipeline retries; any other answer is a <see cref="DeliveryStatus.PermanentFailure"/>. The body
/// carries the message's rendered <c>subject</c> and <c>body</c> when it has them (a journey folder without templates
/// sends neither: the receiver has the template's name). Safe to call from several threads.</remarks>
public sealed class WebhookChannel : IChannel
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
    public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _delivery.SendAsync(message.IdempotencyKey, WebhookPayload.Serialize(message), "application/json; charset=utf-8", cancellationToken);
    }
}
