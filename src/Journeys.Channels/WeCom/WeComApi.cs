using System.Collections.Concurrent;
using System.Text.Json;
using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>Calls to WeCom's server API on behalf of one channel: the access token, fetched with the corp id and secret
/// and cached (one per base address, corp id and secret, shared by every channel in the process that uses them), and
/// one POST per send with the token in the query, its <c>errcode</c> mapped. A token WeCom refuses (40014, 42001) is
/// dropped and the send returns a retryable failure with no wait: the next attempt fetches a new token. One attempt per
/// send; the engine retries.</summary>
internal sealed class WeComApi
{
    private static readonly ConcurrentDictionary<(string Base, string CorpId, string Secret), CachedToken> Tokens = new();

    private readonly Func<HttpClient> _client;
    private readonly Uri _base;
    private readonly string _corpId;
    private readonly string _secret;
    private readonly KeyValuePair<string, string>[] _headers;
    private readonly TimeProvider _time;

    public WeComApi(WeComChannelOptions options, Func<HttpClient> client)
    {
        _client = client;
        _base = options.Url!;
        _corpId = options.CorpId!;
        _secret = options.Secret!;
        _headers = [.. options.Headers];
        _time = options.TimeProvider;
        Token = Tokens.GetOrAdd((_base.AbsoluteUri, _corpId, _secret), _ => new CachedToken(options.TimeProvider));
    }

    /// <summary>The token this channel uses (shared with the channels of the same corp and secret).</summary>
    public CachedToken Token { get; }

    /// <summary>Posts <paramref name="body"/> to <paramref name="path"/> with a token; an answer with <c>errcode</c> 0 is
    /// handed to <paramref name="accepted"/>, which may still refuse it (a recipient WeCom lists as invalid).</summary>
    public async ValueTask<DeliveryResult> PostAsync(string path, byte[] body, string idempotencyKey, Func<JsonElement, DeliveryResult> accepted,
        CancellationToken cancellationToken)
    {
        var (token, failure) = await Token.GetAsync(FetchTokenAsync, cancellationToken).ConfigureAwait(false);
        if (token is null)
        {
            return failure;
        }

        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_base, $"{path}?access_token={Uri.EscapeDataString(token)}"))
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-8");
        AddHeaders(request, idempotencyKey);
        return await HttpExchange.SendAsync(_client(), request, _time, (response, answer) => Read(response, answer, root =>
        {
            var errcode = ErrCode(root);
            if (WeComErrors.IsTokenRefused(errcode))
            {
                Token.Invalidate(token);
                return DeliveryResult.Retry($"{WeComErrors.Map(errcode, ErrMsg(root)).Reason}: the access token was refused; the next attempt fetches a new one",
                    TimeSpan.Zero);
            }

            return errcode == 0 ? accepted(root) : WeComErrors.Map(errcode, ErrMsg(root));
        }), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a WeCom JSON answer (HTTP 2xx) and hands its root to <paramref name="map"/>.</summary>
    internal static DeliveryResult Read(HttpResponseMessage response, byte[] answer, Func<JsonElement, DeliveryResult> map)
    {
        if (!response.IsSuccessStatusCode)
        {
            return HttpExchange.Refused(response, answer);
        }

        try
        {
            using var json = JsonDocument.Parse(answer);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("errcode", out _)
                ? map(json.RootElement)
                : DeliveryResult.Retry("WeCom answered JSON without an errcode");
        }
        catch (JsonException e)
        {
            return DeliveryResult.Retry($"WeCom answered something that is not JSON ({e.Message})");
        }
    }

    internal static long ErrCode(JsonElement root) => root.GetProperty("errcode").TryGetInt64(out var code) ? code : -1;

    internal static string? ErrMsg(JsonElement root) => root.TryGetProperty("errmsg", out var m) ? m.GetString() : null;

    private void AddHeaders(HttpRequestMessage request, string? idempotencyKey)
    {
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation(HttpDelivery.IdempotencyKeyHeader, idempotencyKey); // WeCom ignores it; proxies and logs see it
        }

        foreach (var (name, value) in _headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }

    private async ValueTask<(string? Token, TimeSpan Lifetime, DeliveryResult Failure)> FetchTokenAsync(CancellationToken cancellationToken)
    {
        string? token = null;
        var lifetime = TimeSpan.Zero;
        var request = new HttpRequestMessage(HttpMethod.Get,
            new Uri(_base, $"cgi-bin/gettoken?corpid={Uri.EscapeDataString(_corpId)}&corpsecret={Uri.EscapeDataString(_secret)}"));
        AddHeaders(request, idempotencyKey: null);
        var result = await HttpExchange.SendAsync(_client(), request, _time, (response, answer) => Read(response, answer, root =>
        {
            var errcode = ErrCode(root);
            if (errcode != 0)
            {
                var refused = WeComErrors.Map(errcode, ErrMsg(root));
                return refused with { Reason = $"gettoken: {refused.Reason}" };
            }

            token = root.TryGetProperty("access_token", out var t) ? t.GetString() : null;
            lifetime = TimeSpan.FromSeconds(root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var s) ? s : 7200);
            return string.IsNullOrEmpty(token) ? DeliveryResult.Retry("gettoken: WeCom answered without an access_token") : DeliveryResult.Delivered;
        }), cancellationToken).ConfigureAwait(false);
        return (string.IsNullOrEmpty(token) ? null : token, lifetime, result with { Reason = result.Reason is { } r && !r.StartsWith("gettoken", StringComparison.Ordinal) ? $"gettoken: {r}" : result.Reason });
    }
}
