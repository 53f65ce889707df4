using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Journeys.Channels;

/// <summary>Aliyun's V3 request signature, ACS3-HMAC-SHA256: a canonical request (method, path, the sorted
/// RFC 3986-encoded query, the signed headers as <c>name:value</c> lines, their names, the hex SHA-256 of the body),
/// hashed, prefixed with the algorithm and signed with HMAC-SHA256 under the AccessKey secret, lower-case hex.</summary>
internal static class AliyunSignature
{
    public const string Algorithm = "ACS3-HMAC-SHA256";

    /// <summary>RFC 3986 encoding: everything but unreserved characters percent-encoded (UTF-8).</summary>
    public static string Encode(string value) => Uri.EscapeDataString(value);

    /// <summary>The query as signed and sent: sorted by name, names and values encoded.</summary>
    public static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{Encode(p.Key)}={Encode(p.Value)}"));

    /// <summary>The <c>Authorization</c> header's value.</summary>
    /// <param name="accessKeyId">The AccessKey id.</param>
    /// <param name="secret">The AccessKey secret.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The URL's path (<c>/</c>).</param>
    /// <param name="canonicalQuery">From <see cref="CanonicalQuery"/>.</param>
    /// <param name="headers">The signed headers (<c>host</c>, the <c>x-acs-*</c> ones), lower-case names.</param>
    /// <param name="payloadHash">The hex SHA-256 of the body.</param>
    public static string Authorization(string accessKeyId, string secret, string method, string path, string canonicalQuery,
        IReadOnlyDictionary<string, string> headers, string payloadHash)
    {
        var names = headers.Keys.Select(k => k.ToLowerInvariant()).Order(StringComparer.Ordinal).ToList();
        var lowered = headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.Trim(), StringComparer.Ordinal);
        var signedHeaders = string.Join(';', names);
        var canonical = new StringBuilder()
            .Append(method).Append('\n')
            .Append(path).Append('\n')
            .Append(canonicalQuery).Append('\n');
        foreach (var name in names)
        {
            canonical.Append(name).Append(':').Append(lowered[name]).Append('\n');
        }

        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHash);
        var stringToSign = $"{Algorithm}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))}";
        var signature = Hex(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(stringToSign)));
        return $"{Algorithm} Credential={accessKeyId},SignedHeaders={signedHeaders},Signature={signature}";
    }

    public static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    /// <summary><c>x-acs-date</c>: UTC, ISO 8601 to the second.</summary>
    public static string Date(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
