using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Journeys.Channels;

/// <summary>Tencent Cloud's API 3.0 signature, TC3-HMAC-SHA256, for a JSON POST to <c>/</c> signing
/// <c>content-type</c> and <c>host</c>: the canonical request hashed into the string to sign, signed with a key derived
/// from the SecretKey, the UTC date and the service (<c>TC3</c> + key → date → service → <c>tc3_request</c>).</summary>
internal static class TencentCloudSignature
{
    public const string Algorithm = "TC3-HMAC-SHA256";
    public const string ContentType = "application/json; charset=utf-8";

    /// <summary>The <c>Authorization</c> header's value.</summary>
    public static string Authorization(string secretId, string secretKey, string service, string host, long timestamp, byte[] payload)
    {
        var date = DateTimeOffset.FromUnixTimeSeconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var canonical = $"POST\n/\n\ncontent-type:{ContentType}\nhost:{host}\n\ncontent-type;host\n{Hex(SHA256.HashData(payload))}";
        var scope = $"{date}/{service}/tc3_request";
        var stringToSign = $"{Algorithm}\n{timestamp.ToString(CultureInfo.InvariantCulture)}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("TC3" + secretKey), date), service), "tc3_request");
        return $"{Algorithm} Credential={secretId}/{scope}, SignedHeaders=content-type;host, Signature={Hex(Hmac(key, stringToSign))}";
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
