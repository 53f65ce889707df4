using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Journeys.Tests.Channels.Providers;

/// <summary>Google's OAuth token endpoint and FCM's HTTP v1 send, as documented, on loopback. <c>/token</c> takes the
/// JWT bearer grant: it verifies the RS256 signature with the service account's public key, the issuer, the messaging
/// scope, the audience (its own URL) and the times (issued now, expiring within an hour) on its clock, and issues an
/// access token for <see cref="TokenLifetime"/> (400 <c>invalid_grant</c> otherwise). <c>/v1/projects/{id}/messages:send</c>
/// wants that token (401 <c>UNAUTHENTICATED</c> when unknown or expired), the project (403 <c>SENDER_ID_MISMATCH</c>),
/// a registered device (404 <c>UNREGISTERED</c>), and takes at most <see cref="PerMinuteLimit"/> messages a minute
/// (429 <c>QUOTA_EXCEEDED</c> with <c>Retry-After: 60</c>).</summary>
internal sealed class FakeFcmServer(TimeProvider time, RSA serviceAccountKey) : FakeProviderServer(time)
{
    public const string ProjectId = "journeys-shop";
    public const string ClientEmail = "push@journeys-shop.iam.gserviceaccount.com";
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new();
    private readonly ConcurrentQueue<DateTimeOffset> _sends = new();
    private int _issued;

    public HashSet<string> Devices { get; } = ["device-1", "device-2"];

    public int PerMinuteLimit { get; set; } = 100;

    public ConcurrentQueue<JsonElement> Delivered { get; } = new();

    public int TokensIssued => _issued;

    public Uri TokenUri => new(Url, "token");

    public void ExpireTokens()
    {
        foreach (var token in _tokens.Keys)
        {
            _tokens[token] = Time.GetUtcNow();
        }
    }

    protected override Task RouteAsync(HttpContext context, ProviderRequest request)
    {
        if (request.Path == "/token")
        {
            return TokenAsync(context, request);
        }

        if (!request.Path.StartsWith("/v1/projects/", StringComparison.Ordinal) || !request.Path.EndsWith("/messages:send", StringComparison.Ordinal))
        {
            return Error(context, 404, "NOT_FOUND");
        }

        var bearer = request.Header("Authorization") is { } auth && auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth[7..] : "";
        if (!_tokens.TryGetValue(bearer, out var until) || Time.GetUtcNow() >= until)
        {
            return Error(context, 401, "UNAUTHENTICATED");
        }

        if (request.Path != $"/v1/projects/{ProjectId}/messages:send")
        {
            return Error(context, 403, "SENDER_ID_MISMATCH");
        }

        var message = request.Json.GetProperty("message");
        if (!Devices.Contains(message.GetProperty("token").GetString() ?? ""))
        {
            return Error(context, 404, "UNREGISTERED");
        }

        var now = Time.GetUtcNow();
        if (_sends.Count(s => now - s < TimeSpan.FromMinutes(1)) >= PerMinuteLimit)
        {
            context.Response.Headers.RetryAfter = "60";
            return Error(context, 429, "QUOTA_EXCEEDED");
        }

        _sends.Enqueue(now);
        Delivered.Enqueue(message.Clone());
        return JsonAsync(context, new { name = $"projects/{ProjectId}/messages/{Delivered.Count}" });
    }

    private static Task Error(HttpContext context, int status, string code) =>
        JsonAsync(context, new { error = new { code = status, message = $"fake: {code}", status = code, details = new[] { new { errorCode = code } } } }, status);

    private Task TokenAsync(HttpContext context, ProviderRequest request)
    {
        var form = QueryHelpers.ParseQuery(request.Text);
        if (form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer")
        {
            return JsonAsync(context, new { error = "unsupported_grant_type" }, 400);
        }

        var parts = form["assertion"].ToString().Split('.');
        if (parts.Length != 3 || !serviceAccountKey.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            return JsonAsync(context, new { error = "invalid_grant", error_description = "Invalid JWT Signature." }, 400);
        }

        var header = JsonDocument.Parse(Base64Url(parts[0])).RootElement;
        var claims = JsonDocument.Parse(Base64Url(parts[1])).RootElement;
        var now = Time.GetUtcNow().ToUnixTimeSeconds();
        if (header.GetProperty("alg").GetString() != "RS256" || claims.GetProperty("iss").GetString() != ClientEmail
            || claims.GetProperty("aud").GetString() != TokenUri.AbsoluteUri || claims.GetProperty("scope").GetString() != "https://www.googleapis.com/auth/firebase.messaging"
            || Math.Abs(claims.GetProperty("iat").GetInt64() - now) > 300 || claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64() > 3600)
        {
            return JsonAsync(context, new { error = "invalid_grant", error_description = "Invalid JWT claims." }, 400);
        }

        var token = $"ya29.fake-{Interlocked.Increment(ref _issued)}";
        _tokens[token] = Time.GetUtcNow() + TokenLifetime;
        return JsonAsync(context, new { access_token = token, expires_in = (int)TokenLifetime.TotalSeconds, token_type = "Bearer" });
    }

    private static byte[] Base64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
