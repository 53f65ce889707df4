using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Journeys.Tests.Channels.Providers;

/// <summary>Aliyun's <c>SendSms</c> (2017-05-25) as documented, on loopback. It recomputes the ACS3-HMAC-SHA256
/// signature from the request it received — canonical request from the method, path, the decoded query re-encoded
/// (RFC 3986) and sorted, the signed headers, the body's SHA-256 — and answers HTTP 400 <c>SignatureDoesNotMatch</c>
/// when it differs, <c>InvalidAccessKeyId.NotFound</c> for another key, <c>InvalidTimeStamp.Expired</c> for an
/// <c>x-acs-date</c> more than 15 minutes from its clock and <c>SignatureNonceUsed</c> for a nonce seen before. Then the
/// business checks, HTTP 200 with a <c>Code</c>: approved templates and sign names, every template parameter present
/// (<c>isv.TEMPLATE_MISSING_PARAMETERS</c>), a mainland number (<c>isv.MOBILE_NUMBER_ILLEGAL</c>), and flow control of
/// <see cref="PerMinuteLimit"/> messages a minute per number (<c>isv.BUSINESS_LIMIT_CONTROL</c>).</summary>
internal sealed class FakeAliyunSmsServer(TimeProvider time) : FakeProviderServer(time)
{
    public const string AccessKeyId = "LTAI-test-key";
    public const string AccessKeySecret = "aliyun-secret-0123456789";
    public const string SignName = "Journeys Shop";

    private readonly ConcurrentDictionary<string, byte> _nonces = new();
    private readonly ConcurrentQueue<(string Phone, DateTimeOffset At)> _sent = new();

    /// <summary>Approved templates and their parameter names.</summary>
    public Dictionary<string, string[]> Templates { get; } = new() { ["SMS_154950909"] = ["name", "coupon"], ["SMS_000001"] = [] };

    public int PerMinuteLimit { get; set; } = 5;

    /// <summary>The messages sent: the query parameters of each accepted request.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> Sent { get; } = new();

    protected override Task RouteAsync(HttpContext context, ProviderRequest request)
    {
        var query = QueryHelpers.ParseQuery(request.Query).ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        if (Verify(request, query) is { } refusal)
        {
            return Answer(context, refusal, 400);
        }

        if (request.Header("x-acs-action") != "SendSms" || request.Header("x-acs-version") != "2017-05-25")
        {
            return Answer(context, "InvalidAction.NotFound", 404);
        }

        if (!query.TryGetValue("SignName", out var sign) || sign != SignName)
        {
            return Answer(context, "isv.SMS_SIGNATURE_ILLEGAL");
        }

        if (!query.TryGetValue("TemplateCode", out var code) || !Templates.TryGetValue(code, out var names))
        {
            return Answer(context, "isv.SMS_TEMPLATE_ILLEGAL");
        }

        var parameters = query.TryGetValue("TemplateParam", out var json)
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? []
            : [];
        if (names.Any(n => !parameters.ContainsKey(n)))
        {
            return Answer(context, "isv.TEMPLATE_MISSING_PARAMETERS");
        }

        var phone = query.GetValueOrDefault("PhoneNumbers") ?? "";
        if (!(phone.Length == 11 && phone.All(char.IsAsciiDigit) && phone[0] == '1'))
        {
            return Answer(context, "isv.MOBILE_NUMBER_ILLEGAL");
        }

        var now = Time.GetUtcNow();
        if (_sent.Count(s => s.Phone == phone && now - s.At < TimeSpan.FromMinutes(1)) >= PerMinuteLimit)
        {
            return Answer(context, "isv.BUSINESS_LIMIT_CONTROL");
        }

        _sent.Enqueue((phone, now));
        Sent.Enqueue(query);
        return JsonAsync(context, new { Code = "OK", Message = "OK", BizId = $"biz-{Sent.Count}", RequestId = Guid.NewGuid().ToString() });
    }

    private static Task Answer(HttpContext context, string code, int status = 200) =>
        JsonAsync(context, new { Code = code, Message = $"fake: {code}", RequestId = Guid.NewGuid().ToString() }, status);

    /// <summary>The documented V3 check, done on what arrived; null when the request is signed right.</summary>
    private string? Verify(ProviderRequest request, Dictionary<string, string> query)
    {
        var authorization = request.Header("Authorization") ?? "";
        const string prefix = "ACS3-HMAC-SHA256 ";
        if (!authorization.StartsWith(prefix, StringComparison.Ordinal))
        {
            return "IncompleteSignature";
        }

        var parts = authorization[prefix.Length..].Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0].Trim(), p => p[1]);
        if (parts.GetValueOrDefault("Credential") != AccessKeyId)
        {
            return "InvalidAccessKeyId.NotFound";
        }

        if (!DateTimeOffset.TryParseExact(request.Header("x-acs-date"), "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var date) || (date - Time.GetUtcNow()).Duration() > TimeSpan.FromMinutes(15))
        {
            return "InvalidTimeStamp.Expired";
        }

        var bodyHash = Convert.ToHexStringLower(SHA256.HashData(request.Body));
        if (request.Header("x-acs-content-sha256") != bodyHash)
        {
            return "SignatureDoesNotMatch";
        }

        var signedHeaders = parts.GetValueOrDefault("SignedHeaders")?.Split(';') ?? [];
        if (!signedHeaders.Contains("host") || !signedHeaders.Contains("x-acs-date") || !signedHeaders.Contains("x-acs-signature-nonce"))
        {
            return "IncompleteSignature";
        }

        var canonicalQuery = string.Join('&', query.OrderBy(q => q.Key, StringComparer.Ordinal).Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}"));
        var canonical = new StringBuilder($"{request.Method}\n{request.Path}\n{canonicalQuery}\n");
        foreach (var name in signedHeaders)
        {
            canonical.Append(name).Append(':').Append(request.Header(name)?.Trim()).Append('\n');
        }

        canonical.Append('\n').Append(string.Join(';', signedHeaders)).Append('\n').Append(bodyHash);
        var stringToSign = "ACS3-HMAC-SHA256\n" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(AccessKeySecret), Encoding.UTF8.GetBytes(stringToSign)));
        if (parts.GetValueOrDefault("Signature") != expected)
        {
            return "SignatureDoesNotMatch";
        }

        return _nonces.TryAdd(request.Header("x-acs-signature-nonce") ?? "", 0) ? null : "SignatureNonceUsed";
    }
}
