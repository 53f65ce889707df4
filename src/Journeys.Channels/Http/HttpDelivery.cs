using System.Globalization;
using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>The machinery every HTTP channel shares: one attempt per send — a request carrying the idempotency key
/// (signed when there is a secret) — and the mapping of the answer to a <see cref="DeliveryResult"/>. Retries, timeouts
/// and the circuit breaker are the engine's pipeline. Not the per-event hot path: a send waits on the network, so it
/// allocates freely for clarity.</summary>
internal sealed class HttpDelivery
{
    /// <summary>The header that carries <see cref="OutboundMessage.IdempotencyKey"/>, the same on every attempt.</summary>
    internal const string IdempotencyKeyHeader = "Idempotency-Key";

    private readonly Func<HttpClient> _client;
    private readonly Uri _url;
    private readonly KeyValuePair<string, string>[] _headers;
    private readonly byte[]? _signingKey;
    private readonly TimeProvider _time;

    /// <summary>Reads the (already validated) options once.</summary>
    /// <param name="options">Validated options.</param>
    /// <param name="signingKey">The webhook secret as UTF-8, or null to send no signature.</param>
    /// <param name="client">Hands out the client for one send.</param>
    public HttpDelivery(HttpChannelOptions options, byte[]? signingKey, Func<HttpClient> client)
    {
        _client = client;
        _url = options.Url!;
        _headers = [.. options.Headers];
        _signingKey = signingKey;
        _time = options.TimeProvider;
    }

    /// <summary>Each send asks the factory for the client named after the channel, or <paramref name="clientName"/> of its
    /// name (checking the arguments first, as channel constructors call this before their body).</summary>
    public static Func<HttpClient> ClientFrom(IHttpClientFactory factory, HttpChannelOptions options, Func<string, string>? clientName = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(options);
        var name = options.Name;
        if (clientName is null)
        {
            return () => factory.CreateClient(name);
        }

        string? named = null; // made at the first send: the options are checked after this runs
        return () => factory.CreateClient(named ??= clientName(name));
    }

    /// <summary>Every send uses the one client given.</summary>
    public static Func<HttpClient> ClientFrom(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return () => client;
    }

    /// <summary>Posts the body once and says how the receiver answered: 2xx delivered, the rest as
    /// <see cref="HttpExchange"/> maps it (a refusal permanent, with the start of the receiver's answer).</summary>
    /// <param name="idempotencyKey">Sent as <see cref="IdempotencyKeyHeader"/>.</param>
    /// <param name="body">The request body.</param>
    /// <param name="contentType">The body's media type.</param>
    /// <param name="cancellationToken">Cancels the attempt; cancellation is thrown, not reported as a failure.</param>
    public ValueTask<DeliveryResult> SendAsync(string idempotencyKey, byte[] body, string contentType, CancellationToken cancellationToken) =>
        SendAsync(idempotencyKey, body, contentType,
            static (response, answer) => response.IsSuccessStatusCode ? DeliveryResult.Delivered : HttpExchange.Refused(response, answer), cancellationToken);

    /// <summary>Posts the body once; a transient answer is retryable (see <see cref="HttpExchange"/>), any other is
    /// mapped by <paramref name="read"/>.</summary>
    /// <param name="idempotencyKey">Sent as <see cref="IdempotencyKeyHeader"/>.</param>
    /// <param name="body">The request body.</param>
    /// <param name="contentType">The body's media type.</param>
    /// <param name="read">Maps a 2xx or a non-transient refusal, given the response and its body.</param>
    /// <param name="cancellationToken">Cancels the attempt; cancellation is thrown, not reported as a failure.</param>
    public ValueTask<DeliveryResult> SendAsync(string idempotencyKey, byte[] body, string contentType,
        Func<HttpResponseMessage, byte[], DeliveryResult> read, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return HttpExchange.SendAsync(_client(), Request(idempotencyKey, body, contentType), _time, read, cancellationToken);
    }

    private HttpRequestMessage Request(string idempotencyKey, byte[] body, string contentType)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.TryAddWithoutValidation(IdempotencyKeyHeader, idempotencyKey);
        foreach (var (name, value) in _headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (_signingKey is not null)
        {
            // Signed per attempt so the timestamp tells the receiver when this attempt was made.
            var timestamp = _time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            request.Headers.TryAddWithoutValidation(WebhookSignature.TimestampHeader, timestamp);
            request.Headers.TryAddWithoutValidation(WebhookSignature.SignatureHeader, WebhookSignature.Compute(_signingKey, timestamp, idempotencyKey, body));
        }

        return request;
    }
}
