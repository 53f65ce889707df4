using System.Globalization;
using System.Text.Json;
using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>Sends each message as an SMS through Tencent Cloud SMS (<c>SendSms</c>, API version 2021-01-11), signed with
/// TC3-HMAC-SHA256: the customer's phone number (a trait), the approved template from the front matter field
/// <c>templateId</c>, its parameters from the fields <c>param.1</c>, <c>param.2</c>... (the template's <c>{1}</c>,
/// <c>{2}</c>..., sent in that order as <c>TemplateParamSet</c>), the sign name (the field <c>signName</c>, or
/// <see cref="TencentSmsChannelOptions.SignName"/>), and the idempotency key as <c>SessionContext</c>.</summary>
/// <remarks>One attempt per send. The request's <c>Error.Code</c>, or else the number's status code, is mapped by
/// <see cref="TencentSmsErrors"/>: <c>Ok</c> delivered; per-number frequency limits retryable with their wait (the daily
/// one permanent); request-rate and internal errors retryable; set-up faults retryable; the rest permanent.</remarks>
public sealed class TencentSmsChannel : IChannel
{
    /// <summary>The front matter field with the approved template's id.</summary>
    public const string TemplateField = "templateId";

    private readonly TemplateSmsDelivery _sms;
    private readonly string _secretId;
    private readonly string _secretKey;
    private readonly string _region;
    private readonly string _appId;

    /// <summary>Creates the channel with clients from a factory (the client named <see cref="HttpChannelOptions.Name"/>).</summary>
    /// <param name="options">The settings; checked now, throwing an <see cref="ArgumentException"/> that names every
    /// wrong property.</param>
    /// <param name="httpClientFactory">The factory, usually from dependency injection.</param>
    public TencentSmsChannel(TencentSmsChannelOptions options, IHttpClientFactory httpClientFactory)
        : this(options, HttpDelivery.ClientFrom(httpClientFactory, options))
    {
    }

    /// <summary>Creates the channel over one client the caller owns (and disposes).</summary>
    /// <param name="options">The settings; checked now, throwing an <see cref="ArgumentException"/> that names every
    /// wrong property.</param>
    /// <param name="httpClient">The client every send uses.</param>
    public TencentSmsChannel(TencentSmsChannelOptions options, HttpClient httpClient)
        : this(options, HttpDelivery.ClientFrom(httpClient))
    {
    }

    private TencentSmsChannel(TencentSmsChannelOptions options, Func<HttpClient> client)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        Name = options.Name;
        _secretId = options.SecretId!;
        _secretKey = options.SecretKey!;
        _region = options.Region;
        _appId = options.SmsSdkAppId!;
        _sms = new TemplateSmsDelivery(options, client, TemplateField, options.SignName, options.PhoneTrait, Request, Answer,
            "Tencent Cloud answered without a Response");
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken) => _sms.SendAsync(message, cancellationToken);

    private (HttpRequestMessage?, DeliveryResult) Request(OutboundMessage message, SmsTemplateMessage sms)
    {
        // Tencent templates number their parameters {1}, {2}...: the fields param.1, param.2... in that order, no gaps.
        var numbered = sms.Parameters.Select(p => (Number: int.TryParse(p.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0, p.Value)).ToList();
        if (numbered.Any(p => p.Number == 0) || numbered.Select(p => p.Number).Order().Where((n, i) => n != i + 1).Any())
        {
            return (null, DeliveryResult.Permanent(
                $"template '{message.Template}': Tencent Cloud template parameters are numbered fields param.1, param.2... without gaps (got {string.Join(", ", sms.Parameters.Select(p => "param." + p.Key))})"));
        }

        var payload = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["PhoneNumberSet"] = new[] { sms.Phone },
            ["SmsSdkAppId"] = _appId,
            ["SignName"] = sms.SignName,
            ["TemplateId"] = sms.Template,
            ["TemplateParamSet"] = numbered.OrderBy(p => p.Number).Select(p => p.Value).ToArray(),
            ["SessionContext"] = message.IdempotencyKey,
        });
        var timestamp = _sms.Time.GetUtcNow().ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, _sms.Url) { Content = new ByteArrayContent(payload) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", TencentCloudSignature.ContentType);
        request.Headers.TryAddWithoutValidation("X-TC-Action", "SendSms");
        request.Headers.TryAddWithoutValidation("X-TC-Version", "2021-01-11");
        request.Headers.TryAddWithoutValidation("X-TC-Region", _region);
        request.Headers.TryAddWithoutValidation("X-TC-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("Authorization", TencentCloudSignature.Authorization(_secretId, _secretKey, "sms", _sms.Url.Authority, timestamp, payload));
        return (request, default);
    }

    /// <summary>The request's <c>Error.Code</c>, or else the one number's status code.</summary>
    private static DeliveryResult? Answer(JsonElement answer)
    {
        if (!answer.TryGetProperty("Response", out var body))
        {
            return null;
        }

        if (body.TryGetProperty("Error", out var error))
        {
            return TencentSmsErrors.Map(error.GetProperty("Code").GetString() ?? "", error.TryGetProperty("Message", out var m) ? m.GetString() : null);
        }

        if (body.TryGetProperty("SendStatusSet", out var statuses) && statuses.GetArrayLength() == 1)
        {
            var status = statuses[0];
            return TencentSmsErrors.Map(status.GetProperty("Code").GetString() ?? "", status.TryGetProperty("Message", out var m) ? m.GetString() : null);
        }

        return null;
    }
}
