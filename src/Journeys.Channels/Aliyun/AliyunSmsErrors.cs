using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>Aliyun SMS's <c>Code</c> (in the JSON answer, with HTTP 200 for its business errors) as a delivery
/// result.</summary>
internal static class AliyunSmsErrors
{
    /// <summary>How long the per-number minute flow control asks to wait.</summary>
    public static readonly TimeSpan MinuteLimitWait = TimeSpan.FromMinutes(1);

    public static DeliveryResult Map(string code, string? message)
    {
        var what = $"Aliyun SMS {code} ({message})";
        return code switch
        {
            "OK" => DeliveryResult.Delivered,

            // Flow control per number and template: a minute's limit passes; an hour's or a day's is over MaxDelay, so the
            // engine ends the message failed with the reason, as it should.
            "isv.BUSINESS_LIMIT_CONTROL" or "BUSINESS_LIMIT_CONTROL_MINUTE" => DeliveryResult.Retry($"{what}: rate-limited for this number", MinuteLimitWait),
            "isv.BUSINESS_LIMIT_HOUR" => DeliveryResult.Retry($"{what}: rate-limited for this number", TimeSpan.FromHours(1)),
            "isv.BUSINESS_LIMIT_DAY" or "BUSINESS_LIMIT_CONTROL_PHONE" => DeliveryResult.Permanent($"{what}: this number's daily limit is reached"),

            // The API's own throttling and system errors: the engine's backoff.
            _ when code.StartsWith("Throttling", StringComparison.Ordinal) => DeliveryResult.Retry($"{what}: rate-limited"),
            "isp.SYSTEM_ERROR" or "isp.GATEWAY_ERROR" or "isp.UNKNOWN" or "ServiceUnavailable" or "InternalError" => DeliveryResult.Retry(what),

            // The channel's set-up, not the message: every message fails alike until an operator fixes it.
            "InvalidAccessKeyId.NotFound" or "SignatureDoesNotMatch" or "IncompleteSignature" or "InvalidTimeStamp.Expired"
                or "SignatureNonceUsed" or "isv.OUT_OF_SERVICE" or "isv.AMOUNT_NOT_ENOUGH" or "isv.PRODUCT_UN_SUBSCRIPT"
                or "isv.ACCOUNT_NOT_EXISTS" or "isv.ACCOUNT_ABNORMAL" or "isp.RAM_PERMISSION_DENY" or "isv.BILLING_DEDUCTION_ERROR"
                => DeliveryResult.Retry($"{what}: the channel's Aliyun set-up is refused"),

            // The number, the template, its parameters: this message will not pass.
            _ => DeliveryResult.Permanent(what),
        };
    }
}
