using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>Tencent Cloud SMS's codes — the request's <c>Error.Code</c>, or the number's <c>SendStatusSet[].Code</c> — as a
/// delivery result.</summary>
internal static class TencentSmsErrors
{
    public static DeliveryResult Map(string code, string? message)
    {
        var what = $"Tencent Cloud SMS {code} ({message})";
        return code switch
        {
            "Ok" => DeliveryResult.Delivered,

            // The per-number frequency limits: 30 seconds passes; an hour is over MaxDelay (the engine ends the message
            // failed with the reason); the day's limit will not pass today.
            "LimitExceeded.PhoneNumberThirtySecondLimit" => DeliveryResult.Retry($"{what}: rate-limited for this number", TimeSpan.FromSeconds(30)),
            "LimitExceeded.PhoneNumberOneHourLimit" => DeliveryResult.Retry($"{what}: rate-limited for this number", TimeSpan.FromHours(1)),
            "LimitExceeded.PhoneNumberDailyLimit" or "LimitExceeded.DailyLimit" => DeliveryResult.Permanent($"{what}: this number's daily limit is reached"),

            // The API's request rate and Tencent's own errors: the engine's backoff.
            _ when code.StartsWith("RequestLimitExceeded", StringComparison.Ordinal) => DeliveryResult.Retry($"{what}: rate-limited"),
            _ when code.StartsWith("InternalError", StringComparison.Ordinal) || code is "ResourceUnavailable" or "FailedOperation.ServiceSuspendDueToArrears"
                => DeliveryResult.Retry(what),

            // The channel's set-up (key, signature, clock, balance, permissions): every message fails alike until fixed.
            _ when code.StartsWith("AuthFailure", StringComparison.Ordinal) || code.StartsWith("UnauthorizedOperation", StringComparison.Ordinal)
                || code is "FailedOperation.InsufficientBalanceInSmsPackage"
                => DeliveryResult.Retry($"{what}: the channel's Tencent Cloud set-up is refused"),

            // The number, the template, its parameters: this message will not pass.
            _ => DeliveryResult.Permanent(what),
        };
    }
}
