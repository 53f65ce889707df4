using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Journeys.Tests.Channels.Providers;

/// <summary>Tencent Cloud's <c>SendSms</c> (2021-01-11) as documented, on loopback. Every answer is HTTP 200 with a
/// <c>Response</c>. It recomputes the TC3-HMAC-SHA256 signature from what arrived (the canonical request over
/// <c>content-type</c>, <c>host</c> and the body's hash; the key derived from the SecretKey, the date of
/// <c>X-TC-Timestamp</c>, <c>sms</c> and <c>tc3_request</c>) and answers <c>AuthFailure.SignatureFailure</c> when it
/// differs, <c>AuthFailure.SecretIdNotFound</c> for another key, <c>AuthFailure.SignatureExpire</c> for a timestamp more
/// than 5 minutes from its clock. Then per number in <c>SendStatusSet</c>: approved templates with their parameter count
/// (<c>FailedOperation.TemplateParamSetNotMatchApprovedTemplate</c>), an E.164 number
/// (<c>InvalidParameterValue.IncorrectPhoneNumber</c>) and one message per number per 30 seconds
/// (<c>LimitExceeded.PhoneNumberThirtySecondLimit</c>).</summary>
internal sealed class FakeTencentSmsServer(TimeProvider time) : FakeProviderServer(time)
{
    public const string SecretId = "AKID-test";
    public const string SecretKey = "tencent-secret-0123456789";
    public const string AppId = "1400006666";
    public const string SignName = "Journeys Shop";

    private readonly ConcurrentQueue<(string Phone, DateTimeOffset At)> _sent = new();

    /// <summary>Approved templates and how many parameters each has.</summary>
    public Dictionary<string, int> Templates { get; } = new() { ["1234"] = 2, ["5678"] = 0 };

    /// <summary>The requests accepted for a number.</summary>
    public ConcurrentQueue<JsonElement> Sent { get; } = new();

    protected override Task RouteAsync(HttpContext context, ProviderRequest request)
    {
        if (Verify(request) is { } refusal)
        {
            return Error(context, refusal);
        }

        if (request.Header("X-TC-Action") != "SendSms" || request.Header("X-TC-Version") != "2021-01-11" || string.IsNullOrEmpty(request.Header("X-TC-Region")))
        {
            return Error(context, "InvalidAction");
        }

        var body = request.Json;
        if (body.GetProperty("SmsSdkAppId").GetString() != AppId)
        {
            return Error(context, "FailedOperation.SmsSdkAppIdVerifyFail");
        }

        if (body.GetProperty("SignName").GetString() != SignName)
        {
            return Error(context, "FailedOperation.SignatureIncorrectOrUnapproved");
        }

        if (!Templates.TryGetValue(body.GetProperty("TemplateId").GetString()!, out var count))
        {
            return Error(context, "FailedOperation.TemplateIncorrectOrUnapproved");
        }

        if (body.GetProperty("TemplateParamSet").GetArrayLength() != count)
        {
            return Error(context, "FailedOperation.TemplateParamSetNotMatchApprovedTemplate");
        }

        var now = Time.GetUtcNow();
        var statuses = new List<object>();
        foreach (var phone in body.GetProperty("PhoneNumberSet").EnumerateArray().Select(p => p.GetString()!))
        {
            var code = !(phone.StartsWith('+') && phone.Length is > 8 and < 17 && phone[1..].All(char.IsAsciiDigit)) ? "InvalidParameterValue.IncorrectPhoneNumber"
                : _sent.Any(s => s.Phone == phone && now - s.At < TimeSpan.FromSeconds(30)) ? "LimitExceeded.PhoneNumberThirtySecondLimit"
                : "Ok";
            if (code == "Ok")
            {
                _sent.Enqueue((phone, now));
                Sent.Enqueue(body.Clone());
            }

            statuses.Add(new { SerialNo = $"serial-{Sent.Count}", PhoneNumber = phone, Fee = code == "Ok" ? 1 : 0, SessionContext = body.GetProperty("SessionContext").GetString(), Code = code, Message = $"fake: {code}", IsoCode = "CN" });
        }

        return JsonAsync(context, new { Response = new { SendStatusSet = statuses, RequestId = Guid.NewGuid().ToString() } });
    }

    private static Task Error(HttpContext context, string code) =>
        JsonAsync(context, new { Response = new { Error = new { Code = code, Message = $"fake: {code}" }, RequestId = Guid.NewGuid().ToString() } });

    /// <summary>The documented TC3 check, done on what arrived; null when the request is signed right.</summary>
    private string? Verify(ProviderRequest request)
    {
        var authorization = request.Header("Authorization") ?? "";
        if (!authorization.StartsWith("TC3-HMAC-SHA256 ", StringComparison.Ordinal))
        {
            return "AuthFailure.InvalidAuthorization";
        }

        var parts = authorization["TC3-HMAC-SHA256 ".Length..].Split(", ").Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var credential = parts.GetValueOrDefault("Credential")?.Split('/') ?? [];
        if (credential.Length != 4 || credential[0] != SecretId)
        {
            return "AuthFailure.SecretIdNotFound";
        }

        if (!long.TryParse(request.Header("X-TC-Timestamp"), NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            || (DateTimeOffset.FromUnixTimeSeconds(timestamp) - Time.GetUtcNow()).Duration() > TimeSpan.FromMinutes(5))
        {
            return "AuthFailure.SignatureExpire";
        }

        var date = DateTimeOffset.FromUnixTimeSeconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (credential[1] != date || credential[2] != "sms" || credential[3] != "tc3_request" || parts.GetValueOrDefault("SignedHeaders") != "content-type;host")
        {
            return "AuthFailure.SignatureFailure";
        }

        var canonical = $"POST\n/\n\ncontent-type:{request.Header("Content-Type")}\nhost:{request.Header("Host")}\n\ncontent-type;host\n{Convert.ToHexStringLower(SHA256.HashData(request.Body))}";
        var stringToSign = $"TC3-HMAC-SHA256\n{timestamp}\n{date}/sms/tc3_request\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
        var key = Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("TC3" + SecretKey), date), "sms"), "tc3_request");
        return parts.GetValueOrDefault("Signature") == Convert.ToHexStringLower(Hmac(key, stringToSign)) ? null : "AuthFailure.SignatureFailure";
    }
}
