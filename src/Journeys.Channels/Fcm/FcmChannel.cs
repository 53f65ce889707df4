using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>Sends each message as a push notification through Firebase Cloud Messaging's HTTP v1 API
/// (<c>POST v1/projects/{project}/messages:send</c>) to the customer's device (the trait
/// <see cref="FcmChannelOptions.DeviceTokenTrait"/>): the rendered subject as the notification's title, the body as its
/// text, and the front matter fields <c>data.&lt;key&gt;</c> as its data. Authorised by an OAuth access token got by
/// exchanging a JWT signed (RS256) with the service account's key at the token URI, and cached until shortly before it
/// expires.</summary>
/// <remarks>One attempt per send. HTTP 200 is delivered; 401 drops the cached token and is retryable at once; 404
/// (<c>UNREGISTERED</c>: the app was removed), 400 and 403 are permanent; 429 and 5xx retryable with FCM's
/// <c>Retry-After</c>.</remarks>
public sealed class FcmChannel : IChannel
{
    /// <summary>The reason when the customer has no device token.</summary>
    public const string NoDeviceReason = "no device token";

    private const string Scope = "https://www.googleapis.com/auth/firebase.messaging";

    private readonly Func<HttpClient> _client;
    private readonly Uri _sendUrl;
    private readonly Uri _tokenUri;
    private readonly string _clientEmail;
    private readonly RSA _key;
    private readonly string _deviceTrait;
    private readonly KeyValuePair<string, string>[] _headers;
    private readonly TimeProvider _time;
    private readonly CachedToken _token;

    /// <summary>Creates the channel with clients from a factory (the client named <see cref="HttpChannelOptions.Name"/>).</summary>
    /// <param name="options">The settings; checked now, throwing an <see cref="ArgumentException"/> that names every
    /// wrong property.</param>
    /// <param name="httpClientFactory">The factory, usually from dependency injection.</param>
    public FcmChannel(FcmChannelOptions options, IHttpClientFactory httpClientFactory)
        : this(options, HttpDelivery.ClientFrom(httpClientFactory, options))
    {
    }

    /// <summary>Creates the channel over one client the caller owns (and disposes).</summary>
    /// <param name="options">The settings; checked now, throwing an <see cref="ArgumentException"/> that names every
    /// wrong property.</param>
    /// <param name="httpClient">The client every send uses.</param>
    public FcmChannel(FcmChannelOptions options, HttpClient httpClient)
        : this(options, HttpDelivery.ClientFrom(httpClient))
    {
    }

    private FcmChannel(FcmChannelOptions options, Func<HttpClient> client)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        Name = options.Name;
        _client = client;
        _sendUrl = new Uri(options.Url!, $"v1/projects/{Uri.EscapeDataString(options.ProjectId!)}/messages:send");
        _tokenUri = options.TokenUri;
        _clientEmail = options.ClientEmail!;
        _key = RSA.Create();
        _key.ImportFromPem(options.PrivateKeyPem);
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

        var (token, failure) = await _token.GetAsync(FetchTokenAsync, cancellationToken).ConfigureAwait(false);
        if (token is null)
        {
            return failure;
        }

        var notification = new Dictionary<string, string> { ["body"] = body };
        if (message.Subject is { } title)
        {
            notification["title"] = title;
        }

        var data = message.Fields.Where(f => f.Key.StartsWith("data.", StringComparison.Ordinal) && f.Key.Length > 5).ToDictionary(f => f.Key[5..], f => f.Value);
        data["idempotencyKey"] = message.IdempotencyKey; // lets the app drop a notification it has shown already
        var payload = JsonSerializer.SerializeToUtf8Bytes(new { message = new { token = device, notification, data } });
        var request = new HttpRequestMessage(HttpMethod.Post, _sendUrl) { Content = new ByteArrayContent(payload) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-8");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        request.Headers.TryAddWithoutValidation(HttpDelivery.IdempotencyKeyHeader, message.IdempotencyKey);
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

            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                _token.Invalidate(token);
                return DeliveryResult.Retry("FCM refused the access token (HTTP 401); the next attempt fetches a new one", TimeSpan.Zero);
            }

            return HttpExchange.Refused(response, answer); // 400 INVALID_ARGUMENT, 403 SENDER_ID_MISMATCH, 404 UNREGISTERED
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The JWT bearer grant (RFC 7523): a JWT signed RS256 by the service account, for the messaging scope.</summary>
    private async ValueTask<(string? Token, TimeSpan Lifetime, DeliveryResult Failure)> FetchTokenAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", typ = "JWT" }));
        var claims = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { iss = _clientEmail, scope = Scope, aud = _tokenUri.AbsoluteUri, iat = now, exp = now + 3600 }));
        var signature = Base64Url(_key.SignData(Encoding.ASCII.GetBytes($"{header}.{claims}"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var request = new HttpRequestMessage(HttpMethod.Post, _tokenUri)
        {
            Content = new FormUrlEncodedContent([
                new("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                new("assertion", $"{header}.{claims}.{signature}"),
            ]),
        };
        string? token = null;
        var lifetime = TimeSpan.Zero;
        var result = await HttpExchange.SendAsync(_client(), request, _time, (response, answer) =>
        {
            if (!response.IsSuccessStatusCode)
            {
                // A refused grant (a revoked key, a wrong e-mail) is the channel's set-up: every message fails alike.
                return DeliveryResult.Retry($"token exchange refused: {HttpExchange.Refused(response, answer).Reason}");
            }

            using var json = JsonDocument.Parse(answer);
            token = json.RootElement.TryGetProperty("access_token", out var t) ? t.GetString() : null;
            lifetime = TimeSpan.FromSeconds(json.RootElement.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var s) ? s : 3600);
            return token is null ? DeliveryResult.Retry("token exchange answered without an access_token") : DeliveryResult.Delivered;
        }, cancellationToken).ConfigureAwait(false);
        return (token, lifetime, result);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
