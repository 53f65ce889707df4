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

    private readonly Func<HttpClient> _client;
    private readonly Uri _url;
    private readonly string _secretId;
    private readonly string _secretKey;
    private readonly string _region;
    private readonly string _appId;
    private readonly string? _signName;
    private readonly string _phoneTrait;
    private readonly KeyValuePair<string, string>[] _headers;
    private readonly TimeProvider _time;

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
        _client = client;
        _url = options.Url!;
        _secretId = options.SecretId!;
        _secretKey = options.SecretKey!;
        _region = options.Region;
        _appId = options.SmsSdkAppId!;
        _signName = options.SignName;
        _phoneTrait = options.PhoneTrait;
        _headers = [.. options.Headers];
        _time = options.TimeProvider;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public async ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        var (sms, refused) = SmsTemplateMessage.From(message, _phoneTrait, TemplateField, _signName);
        if (sms is null)
        {
            return refused;
        }

        // Tencent templates number their parameters {1}, {2}...: the fields param.1, param.2... in that order, no gaps.
        var numbered = sms.Parameters.Select(p => (Number: int.TryParse(p.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0, p.Value)).ToList();
        if (numbered.Any(p => p.Number == 0) || numbered.Select(p => p.Number).Order().Where((n, i) => n != i + 1).Any())
        {
            return DeliveryResult.Permanent(
                $"template '{message.Template}': Tencent Cloud template parameters are numbered fields param.1, param.2... without gaps (got {string.Join(", ", sms.Parameters.Select(p => "param." + p.Key))})");
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
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new ByteArrayContent(payload) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", TencentCloudSignature.ContentType);
        request.Headers.TryAddWithoutValidation("X-TC-Action", "SendSms");
        request.Headers.TryAddWithoutValidation("X-TC-Version", "2021-01-11");
        request.Headers.TryAddWithoutValidation("X-TC-Region", _region);
        request.Headers.TryAddWithoutValidation("X-TC-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("Authorization", TencentCloudSignature.Authorization(_secretId, _secretKey, "sms", _url.Authority, timestamp, payload));
        request.Headers.TryAddWithoutValidation(HttpDelivery.IdempotencyKeyHeader, message.IdempotencyKey);
        foreach (var (name, value) in _headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await HttpExchange.SendAsync(_client(), request, _time, Read, cancellationToken).ConfigureAwait(false);
    }

    private static DeliveryResult Read(HttpResponseMessage response, byte[] answer)
    {
        try
        {
            using var json = JsonDocument.Parse(answer);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("Response", out var body))
            {
                if (body.TryGetProperty("Error", out var error))
                {
                    return TencentSmsErrors.Map(error.GetProperty("Code").GetString() ?? "", error.TryGetProperty("Message", out var m) ? m.GetString() : null);
                }

                if (body.TryGetProperty("SendStatusSet", out var statuses) && statuses.GetArrayLength() == 1)
                {
                    var status = statuses[0];
                    return TencentSmsErrors.Map(status.GetProperty("Code").GetString() ?? "", status.TryGetProperty("Message", out var m) ? m.GetString() : null);
                }
            }
        }
        catch (JsonException)
        {
            // not Tencent's JSON: mapped by its HTTP status below
        }

        return response.IsSuccessStatusCode ? DeliveryResult.Retry("Tencent Cloud answered without a Response") : HttpExchange.Refused(response, answer);
    }
}
