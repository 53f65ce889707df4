using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>Sends each message as an alert through the Apple Push Notification service (<c>POST /3/device/{token}</c>,
/// HTTP/2 only) to the customer's device (the trait <see cref="ApnsChannelOptions.DeviceTokenTrait"/>): the rendered
/// subject as the alert's title, the body as its text, and the front matter fields <c>data.&lt;key&gt;</c> as custom
/// keys beside <c>aps</c>. Authorised by a provider token: a JWT signed (ES256) with the <c>.p8</c> key, kept and
/// reused for 50 minutes (APNs refuses one older than an hour and one replaced within 20 minutes).</summary>
/// <remarks>One attempt per send. HTTP 200 is delivered; 403 <c>ExpiredProviderToken</c> or <c>InvalidProviderToken</c>
/// drops the kept token and is retryable once 20 minutes have passed since it was made; 400 (<c>BadDeviceToken</c>,
/// <c>BadTopic</c>, ...), other 403s, 410 <c>Unregistered</c> and 413 are permanent; 429 and 5xx retryable with any
/// <c>Retry-After</c>.</remarks>
public sealed class ApnsChannel : IChannel
{
    /// <summary>The reason when the customer has no device token.</summary>
    public const string NoDeviceReason = "no device token";

    /// <summary>APNs refuses a provider token replaced sooner than this after the last (429 TooManyProviderTokenUpdates).</summary>
    internal static readonly TimeSpan MinTokenAge = TimeSpan.FromMinutes(20);

    /// <summary>A token is used this long plus <see cref="CachedToken.Margin"/> (so 50 minutes): under APNs' hour.</summary>
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(55);

    private readonly Func<HttpClient> _client;
    private readonly Uri _url;
    private readonly string _teamId;
    private readonly string _keyId;
    private readonly ECDsa _key;
    private readonly string _topic;
    private readonly string _priority;
    private readonly TimeSpan _timeToLive;
    private readonly string _deviceTrait;
    private readonly KeyValuePair<string, string>[] _headers;
    private readonly TimeProvider _time;
    private readonly CachedToken _token;
    private long _lastIssuedTicks; // UTC ticks of the last token signed; read by concurrent sends

    /// <summary>Creates the channel with clients from a factory (the client named <see cref="HttpChannelOptions.Name"/>).</summary>
    /// <param name="options">The settings; checked now, throwing an <see cref="ArgumentException"/> that names every
    /// wrong property.</param>
    /// <param name="httpClientFactory">The factory, usually from dependency injection.</param>
    public ApnsChannel(ApnsChannelOptions options, IHttpClientFactory httpClientFactory)
        : this(options, HttpDelivery.ClientFrom(httpClientFactory, options))
    {
    }

    /// <summary>Creates the channel over one client the caller owns (and disposes); its handler must speak HTTP/2.</summary>
    /// <param name="options">The settings; checked now, throwing an <see cref="ArgumentException"/> that names every
    /// wrong property.</param>
    /// <param name="httpClient">The client every send uses.</param>
    public ApnsChannel(ApnsChannelOptions options, HttpClient httpClient)
        : this(options, HttpDelivery.ClientFrom(httpClient))
    {
    }

    private ApnsChannel(ApnsChannelOptions options, Func<HttpClient> client)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        Name = options.Name;
        _client = client;
        _url = options.Url!;
        _teamId = options.TeamId!;
        _keyId = options.KeyId!;
        _key = ECDsa.Create();
        _key.ImportFromPem(options.PrivateKeyPem);
        _topic = options.Topic!;
        _priority = options.Priority.ToString(CultureInfo.InvariantCulture);
        _timeToLive = options.TimeToLive;
        _deviceTrait = options.DeviceTokenTrait;
        _headers = [.. options.Headers];
        _time = options.TimeProvider;
        _token = new CachedToken(options.TimeProvider);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public async ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        if (MessageFields.Trait(message, _deviceTrait) is not { } device)
        {
            return DeliveryResult.Permanent($"{NoDeviceReason}: customer {message.CustomerId} has no trait '{_deviceTrait}'");
        }

        if (message.Body is not { } body)
        {
            return MessageFields.NotRendered(message);
        }

        var (token, _) = await _token.GetAsync(SignToken, cancellationToken).ConfigureAwait(false);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_url, "3/device/" + Uri.EscapeDataString(device)))
        {
            Content = new ByteArrayContent(Payload(message, body)),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact, // APNs speaks HTTP/2 only
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Headers.TryAddWithoutValidation("authorization", "bearer " + token);
        request.Headers.TryAddWithoutValidation("apns-topic", _topic);
        request.Headers.TryAddWithoutValidation("apns-push-type", "alert");
        request.Headers.TryAddWithoutValidation("apns-id", NotificationId(message.IdempotencyKey));
        request.Headers.TryAddWithoutValidation("apns-priority", _priority);
        var expiration = _timeToLive == TimeSpan.Zero ? 0 : (_time.GetUtcNow() + _timeToLive).ToUnixTimeSeconds();
        request.Headers.TryAddWithoutValidation("apns-expiration", expiration.ToString(CultureInfo.InvariantCulture));
        foreach (var (name, v) in _headers)
        {
            request.Headers.TryAddWithoutValidation(name, v);
        }

        return await HttpExchange.SendAsync(_client(), request, _time, (response, answer) =>
        {
            if (response.IsSuccessStatusCode)
            {
                return DeliveryResult.Delivered;
            }

            var reason = Reason(answer);
            if (response.StatusCode == HttpStatusCode.Forbidden && reason is "ExpiredProviderToken" or "InvalidProviderToken")
            {
                _token.Invalidate(token!);
                var wait = new DateTimeOffset(Interlocked.Read(ref _lastIssuedTicks), TimeSpan.Zero) + MinTokenAge - _time.GetUtcNow();
                return DeliveryResult.Retry($"APNs refused the provider token (HTTP 403 {reason}); the next attempt signs a new one",
                    wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
            }

            return HttpExchange.Refused(response, answer); // 400 BadDeviceToken, 403 TopicDisallowed, 410 Unregistered, 413
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The <c>apns-id</c>: the idempotency key when it is a UUID, else a UUID derived from its SHA-256 (the
    /// same on every attempt, so APNs and the app see one notification).</summary>
    internal static string NotificationId(string idempotencyKey)
    {
        if (Guid.TryParse(idempotencyKey, out var id))
        {
            return id.ToString("D");
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8 (RFC 9562: custom)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // the RFC variant
        return new Guid(bytes, bigEndian: true).ToString("D");
    }

    private static byte[] Payload(OutboundMessage message, string body)
    {
        var alert = new Dictionary<string, string> { ["body"] = body };
        if (message.Subject is { } title)
        {
            alert["title"] = title;
        }

        var payload = new Dictionary<string, object>();
        foreach (var (key, v) in message.Fields)
        {
            if (key.StartsWith("data.", StringComparison.Ordinal) && key.Length > 5 && key[5..] != "aps")
            {
                payload[key[5..]] = v;
            }
        }

        payload["idempotencyKey"] = message.IdempotencyKey; // lets the app drop a notification it has shown already
        payload["aps"] = new Dictionary<string, object> { ["alert"] = alert };
        return JsonSerializer.SerializeToUtf8Bytes(payload);
    }

    private static string? Reason(byte[] answer)
    {
        try
        {
            using var json = JsonDocument.Parse(answer);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("reason", out var r) ? r.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The provider token: <c>{"alg":"ES256","kid":...}.{"iss":team,"iat":now}</c>, signed with the .p8 key.</summary>
    private ValueTask<(string? Token, TimeSpan Lifetime, DeliveryResult Failure)> SignToken(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "ES256", kid = _keyId }));
        var claims = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { iss = _teamId, iat = now.ToUnixTimeSeconds() }));
        var signature = Base64Url(_key.SignData(Encoding.ASCII.GetBytes($"{header}.{claims}"), HashAlgorithmName.SHA256)); // r||s, as JWS wants
        Interlocked.Exchange(ref _lastIssuedTicks, now.UtcTicks);
        return ValueTask.FromResult<(string?, TimeSpan, DeliveryResult)>(($"{header}.{claims}.{signature}", TokenLifetime, default));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
