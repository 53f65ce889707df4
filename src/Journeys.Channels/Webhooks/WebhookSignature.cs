using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Journeys.Channels;

/// <summary>The signature a <see cref="WebhookChannel"/> puts on every request, for receivers to check that a request
/// comes from the engine and was not changed on the way. The signed content is <c>{timestamp}.{idempotencyKey}.{body}</c>:
/// the value of <see cref="TimestampHeader"/>, a dot, the value of the <c>Idempotency-Key</c> header (which receivers
/// deduplicate on, so it cannot be swapped to make a request look new or old), a dot, and the raw request body, hashed
/// with HMAC-SHA256 under the shared secret and sent in <see cref="SignatureHeader"/> as <c>sha256=</c> followed by
/// lower-case hex.</summary>
/// <remarks>Verify the raw bytes as received, before parsing the JSON. The timestamp is Unix seconds at the attempt;
/// a receiver that wants to refuse replays also rejects timestamps too far from its own clock (a few minutes).</remarks>
public static class WebhookSignature
{
    /// <summary>The header that carries the signature: <c>X-Journeys-Signature</c>.</summary>
    public const string SignatureHeader = "X-Journeys-Signature";

    /// <summary>The header that carries the signed timestamp, in Unix seconds: <c>X-Journeys-Timestamp</c>.</summary>
    public const string TimestampHeader = "X-Journeys-Timestamp";

    private const string Prefix = "sha256=";
    private const int HashSize = 32;

    /// <summary>Computes the header value for a request: <c>sha256=</c> and the hex HMAC-SHA256 of
    /// <c>{timestamp}.{idempotencyKey}.{body}</c>.</summary>
    /// <param name="secret">The shared secret.</param>
    /// <param name="timestamp">The value of <see cref="TimestampHeader"/>.</param>
    /// <param name="idempotencyKey">The value of the <c>Idempotency-Key</c> header.</param>
    /// <param name="body">The request body, byte for byte.</param>
    /// <returns>The value of <see cref="SignatureHeader"/>.</returns>
    public static string Compute(string secret, string timestamp, string idempotencyKey, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentNullException.ThrowIfNull(timestamp);
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        return Compute(Encoding.UTF8.GetBytes(secret), timestamp, idempotencyKey, body);
    }

    /// <summary>Checks a request's signature in constant time.</summary>
    /// <param name="secret">The shared secret.</param>
    /// <param name="timestamp">The value of <see cref="TimestampHeader"/> as received.</param>
    /// <param name="idempotencyKey">The value of the <c>Idempotency-Key</c> header as received.</param>
    /// <param name="body">The raw request body as received.</param>
    /// <param name="header">The value of <see cref="SignatureHeader"/> as received; null when it was missing.</param>
    /// <returns>True when the header is the signature of that timestamp, key and body under that secret.</returns>
    public static bool Verify(string secret, string timestamp, string idempotencyKey, ReadOnlySpan<byte> body, string? header)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (timestamp is null || idempotencyKey is null || header is null || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        Span<byte> received = stackalloc byte[HashSize];
        var hex = header.AsSpan(Prefix.Length).Trim();
        if (hex.Length != HashSize * 2
            || Convert.FromHexString(hex, received, out _, out var written) != OperationStatus.Done
            || written != HashSize)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HashSize];
        Hash(Encoding.UTF8.GetBytes(secret), timestamp, idempotencyKey, body, expected);
        return CryptographicOperations.FixedTimeEquals(received, expected);
    }

    /// <summary>Checks a request's signature in constant time, for a body already read as text (UTF-8).</summary>
    /// <param name="secret">The shared secret.</param>
    /// <param name="timestamp">The value of <see cref="TimestampHeader"/> as received.</param>
    /// <param name="idempotencyKey">The value of the <c>Idempotency-Key</c> header as received.</param>
    /// <param name="body">The request body as received.</param>
    /// <param name="header">The value of <see cref="SignatureHeader"/> as received; null when it was missing.</param>
    /// <returns>True when the header is the signature of that timestamp, key and body under that secret.</returns>
    public static bool Verify(string secret, string timestamp, string idempotencyKey, string body, string? header)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Verify(secret, timestamp, idempotencyKey, Encoding.UTF8.GetBytes(body), header);
    }

    /// <summary>The sender's side, with the key already encoded once per channel.</summary>
    internal static string Compute(byte[] key, string timestamp, string idempotencyKey, ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[HashSize];
        Hash(key, timestamp, idempotencyKey, body, hash);
        return Prefix + Convert.ToHexStringLower(hash);
    }

    private static void Hash(byte[] key, string timestamp, string idempotencyKey, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.UTF8.GetBytes(timestamp + "." + idempotencyKey + "."));
        hmac.AppendData(body);
        hmac.GetHashAndReset(destination);
    }
}
