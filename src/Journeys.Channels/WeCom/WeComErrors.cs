using System.Globalization;
using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>WeCom's error codes (<c>errcode</c> in every answer, HTTP 200 either way) as delivery results. The access
/// token's codes (40014 invalid, 42001 expired) are the caller's: it drops the token and asks for another attempt.</summary>
internal static class WeComErrors
{
    /// <summary><c>access_token</c> is not valid (40014) or has expired (42001): fetch another.</summary>
    public static bool IsTokenRefused(long errcode) => errcode is 40014 or 42001;

    /// <summary>Maps a non-zero <c>errcode</c>.</summary>
    /// <param name="errcode">WeCom's code.</param>
    /// <param name="errmsg">WeCom's message.</param>
    /// <param name="rateLimitWait">How long to ask the engine to wait when over a frequency limit, or null for its
    /// backoff.</param>
    public static DeliveryResult Map(long errcode, string? errmsg, TimeSpan? rateLimitWait = null)
    {
        var what = $"WeCom errcode {errcode.ToString(CultureInfo.InvariantCulture)} ({errmsg})";
        return errcode switch
        {
            // The system is busy: try again.
            -1 => DeliveryResult.Retry($"{what}: WeCom is busy"),

            // Frequency (45009), concurrency (45033) limits: try later.
            45009 or 45033 => rateLimitWait is { } wait
                ? DeliveryResult.Retry($"{what}: over WeCom's rate limit", wait)
                : DeliveryResult.Retry($"{what}: over WeCom's rate limit"),

            // The channel's set-up, not the message: wrong secret (40001), corp id (40013), agent id (40056), API not
            // allowed (48002), calling IP not trusted (60020). Every message fails the same way until an operator fixes
            // it; marking each permanent would lose them all (as the SMTP channel does with rejected credentials).
            40001 or 40013 or 40056 or 48002 or 60020 => DeliveryResult.Retry($"{what}: the channel's WeCom set-up is refused"),

            // Anything else is about this message (an unknown user, empty content, a bad URL): it will not change.
            _ => DeliveryResult.Permanent(what),
        };
    }
}
