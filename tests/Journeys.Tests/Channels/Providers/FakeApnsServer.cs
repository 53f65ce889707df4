using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Journeys.Tests.Channels.Providers;

/// <summary>APNs' provider API, as Apple documents it, on loopback: Kestrel speaking HTTP/2 only, over TLS with a
/// self-signed certificate made here (<see cref="CreateClient"/> trusts exactly that one). <c>POST /3/device/{token}</c>
/// wants HTTP/2 and a provider token (<c>authorization: bearer</c>): a JWT whose ES256 signature verifies with the
/// <c>.p8</c> key's public half, <c>kid</c> <see cref="KeyId"/> and <c>iss</c> <see cref="TeamId"/> (403
/// <c>InvalidProviderToken</c>), issued within the last hour on its clock (403 <c>ExpiredProviderToken</c>), and not a new
/// token within 20 minutes of the last new one (429 <c>TooManyProviderTokenUpdates</c>). Then the headers
/// (<c>apns-topic</c> 400 <c>BadTopic</c>, <c>apns-push-type</c> 400 <c>InvalidPushType</c>, <c>apns-id</c> 400
/// <c>BadMessageId</c>, <c>apns-priority</c> 400 <c>BadPriority</c>, <c>apns-expiration</c> 400 <c>BadExpirationDate</c>),
/// the device (400 <c>BadDeviceToken</c>; 410 <c>Unregistered</c> with its timestamp for <see cref="Unregistered"/>),
/// and at most <see cref="PerMinuteLimit"/> notifications a minute (429 <c>TooManyRequests</c>). Errors are
/// <c>{"reason": ...}</c>; success is 200 with the <c>apns-id</c> and an empty body.</summary>
internal sealed class FakeApnsServer(TimeProvider time, ECDsa signingKey) : FakeProviderServer(time), IDisposable
{
    public const string TeamId = "TEAM123456";
    public const string KeyId = "KEY7890ABC";
    public const string BundleId = "com.journeys.shop";

    private readonly X509Certificate2 _certificate = CreateCertificate();
    private readonly ConcurrentQueue<DateTimeOffset> _sends = new();
    private readonly HashSet<string> _tokens = [];
    private readonly object _gate = new();
    private readonly HashSet<string> _expired = [];
    private DateTimeOffset? _lastNewToken;

    public HashSet<string> Devices { get; } = ["device-1", "device-2"];

    public string Unregistered { get; } = "device-gone";

    public int PerMinuteLimit { get; set; } = 100;

    /// <summary>The notifications taken: the device, the request's headers and the payload.</summary>
    public ConcurrentQueue<(string Device, ProviderRequest Request, JsonElement Payload)> Delivered { get; } = new();

    /// <summary>How many distinct provider tokens were accepted.</summary>
    public int TokensSeen
    {
        get
        {
            lock (_gate)
            {
                return _tokens.Count;
            }
        }
    }

    /// <summary>Every request's HTTP version as Kestrel saw it.</summary>
    public ConcurrentQueue<string> Protocols { get; } = new();

    /// <summary>HTTP/2 only, over TLS with this server's certificate.</summary>
    protected override void Listen(KestrelServerOptions kestrel) => kestrel.Listen(IPAddress.Loopback, 0, listen =>
    {
        listen.Protocols = HttpProtocols.Http2;
        listen.UseHttps(_certificate);
    });

    /// <summary>Whether <paramref name="certificate"/> is this server's (a client's TLS check trusts it alone).</summary>
    public bool IsOwnCertificate(X509Certificate? certificate) => certificate?.GetCertHashString() == _certificate.GetCertHashString();

    /// <summary>A client that speaks HTTP/2 and trusts this server's certificate only.</summary>
    public HttpClient CreateClient()
    {
        return new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) => IsOwnCertificate(certificate),
            },
        })
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    /// <summary>Every token issued until now is refused as expired from here on (APNs' view of a stale token).</summary>
    public void ExpireTokens()
    {
        lock (_gate)
        {
            _expired.UnionWith(_tokens);
        }
    }

    public void Dispose() => _certificate.Dispose();

    protected override Task RouteAsync(HttpContext context, ProviderRequest request)
    {
        Protocols.Enqueue(context.Request.Protocol);
        if (context.Request.Protocol != "HTTP/2")
        {
            return Error(context, 400, "BadRequest"); // unreachable over this listener: APNs speaks HTTP/2 only
        }

        if (request.Method != "POST")
        {
            return Error(context, 405, "MethodNotAllowed");
        }

        if (!request.Path.StartsWith("/3/device/", StringComparison.Ordinal))
        {
            return Error(context, 404, "BadPath");
        }

        if (Authorize(request.Header("authorization")) is { } refusal)
        {
            return Error(context, refusal.Status, refusal.Reason);
        }

        if (request.Header("apns-topic") != BundleId)
        {
            return Error(context, 400, request.Header("apns-topic") is null ? "MissingTopic" : "BadTopic");
        }

        if (request.Header("apns-push-type") != "alert")
        {
            return Error(context, 400, "InvalidPushType");
        }

        if (!Guid.TryParseExact(request.Header("apns-id") ?? "", "D", out _))
        {
            return Error(context, 400, "BadMessageId");
        }

        if (request.Header("apns-priority") is not ("10" or "5" or "1"))
        {
            return Error(context, 400, "BadPriority");
        }

        if (!long.TryParse(request.Header("apns-expiration"), out var expiration) || expiration < 0)
        {
            return Error(context, 400, "BadExpirationDate");
        }

        var device = request.Path["/3/device/".Length..];
        if (device == Unregistered)
        {
            return JsonAsync(context, new { reason = "Unregistered", timestamp = Time.GetUtcNow().AddDays(-3).ToUnixTimeMilliseconds() }, 410);
        }

        if (!Devices.Contains(device))
        {
            return Error(context, 400, "BadDeviceToken");
        }

        var payload = request.Json;
        if (!payload.TryGetProperty("aps", out var aps) || !aps.TryGetProperty("alert", out _))
        {
            return Error(context, 400, "PayloadEmpty");
        }

        var now = Time.GetUtcNow();
        if (_sends.Count(s => now - s < TimeSpan.FromMinutes(1)) >= PerMinuteLimit)
        {
            return Error(context, 429, "TooManyRequests");
        }

        _sends.Enqueue(now);
        Delivered.Enqueue((device, request, payload));
        context.Response.Headers["apns-id"] = request.Header("apns-id");
        context.Response.StatusCode = 200;
        return Task.CompletedTask;
    }

    private static Task Error(HttpContext context, int status, string reason)
    {
        if (context.Request.Headers.TryGetValue("apns-id", out var id))
        {
            context.Response.Headers["apns-id"] = id;
        }

        return JsonAsync(context, new { reason }, status);
    }

    private (int Status, string Reason)? Authorize(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("bearer ", StringComparison.Ordinal))
        {
            return (403, "MissingProviderToken");
        }

        var token = authorization[7..];
        var parts = token.Split('.');
        if (parts.Length != 3 || !signingKey.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url(parts[2]), HashAlgorithmName.SHA256))
        {
            return (403, "InvalidProviderToken");
        }

        var header = JsonDocument.Parse(Base64Url(parts[0])).RootElement;
        var claims = JsonDocument.Parse(Base64Url(parts[1])).RootElement;
        if (header.GetProperty("alg").GetString() != "ES256" || header.GetProperty("kid").GetString() != KeyId
            || claims.GetProperty("iss").GetString() != TeamId || !claims.GetProperty("iat").TryGetInt64(out var iat))
        {
            return (403, "InvalidProviderToken");
        }

        var now = Time.GetUtcNow();
        var issued = DateTimeOffset.FromUnixTimeSeconds(iat);
        lock (_gate)
        {
            if (now - issued > TimeSpan.FromHours(1) || _expired.Contains(token))
            {
                return (403, "ExpiredProviderToken");
            }

            if (!_tokens.Contains(token))
            {
                if (_lastNewToken is { } last && now - last < TimeSpan.FromMinutes(20))
                {
                    return (429, "TooManyProviderTokenUpdates");
                }

                _tokens.Add(token);
                _lastNewToken = now;
            }
        }

        return null;
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null); // a key Kestrel's TLS can use
    }

    private static byte[] Base64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
