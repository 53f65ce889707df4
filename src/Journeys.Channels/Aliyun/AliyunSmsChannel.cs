using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>Sends each message as an SMS through Aliyun's Short Message Service (<c>SendSms</c>, API version
/// 2017-05-25), signed with ACS3-HMAC-SHA256: the customer's phone number (a trait), the approved template from the
/// front matter field <c>templateCode</c>, its parameters from the fields <c>param.&lt;name&gt;</c> (sent as the JSON
/// <c>TemplateParam</c>), the sign name (the field <c>signName</c>, or <see cref="AliyunSmsChannelOptions.SignName"/>),
/// and the idempotency key as <c>OutId</c> (returned on delivery receipts).</summary>
/// <remarks>One attempt per send. Aliyun's <c>Code</c> is mapped by <see cref="AliyunSmsErrors"/>: <c>OK</c> delivered;
/// flow control and throttling retryable (the per-number minute limit with a wait); system errors retryable; set-up
/// faults (key, signature, balance, permission) retryable as the SMTP channel's credentials are; the rest (a bad number,
/// a missing parameter, an unapproved template) permanent.</remarks>
public sealed class AliyunSmsChannel : IChannel
{
    /// <summary>The front matter field with the approved template's code.</summary>
    public const string TemplateField = "templateCode";

    private const string Action = "SendSms";
    private const string Version = "2017-05-25";
    private static readonly string EmptyPayloadHash = AliyunSignature.Hex(SHA256.HashData([]));
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly TemplateSmsDelivery _sms;
    private readonly string _accessKeyId;
    private readonly string _secret;

    /// <summary>Creates the channel with clients from a factory (the client named <see cref="HttpChannelOptions.Name"/>).</summary>
    /// <param name="options">The settings; checked now, throwing an <see cref="ArgumentException"/> that names every
    /// wrong property.</param>
    /// <param name="httpClientFactory">The factory, usually from dependency injection.</param>
    public AliyunSmsChannel(AliyunSmsChannelOptions options, IHttpClientFactory httpClientFactory)
        : this(options, HttpDelivery.ClientFrom(httpClientFactory, options))
    {
    }

    /// <summary>Creates the channel over one client the caller owns (and disposes).</summary>
    /// <param name="options">The settings; checked now, throwing an <see cref="ArgumentException"/> that names every
    /// wrong property.</param>
    /// <param name="httpClient">The client every send uses.</param>
    public AliyunSmsChannel(AliyunSmsChannelOptions options, HttpClient httpClient)
        : this(options, HttpDelivery.ClientFrom(httpClient))
    {
    }

    private AliyunSmsChannel(AliyunSmsChannelOptions options, Func<HttpClient> client)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        Name = options.Name;
        _accessKeyId = options.AccessKeyId!;
        _secret = options.AccessKeySecret!;
        _sms = new TemplateSmsDelivery(options, client, TemplateField, options.SignName, options.PhoneTrait, Request, Answer,
            "Aliyun answered without a Code");
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken) => _sms.SendAsync(message, cancellationToken);

    private (HttpRequestMessage?, DeliveryResult) Request(OutboundMessage message, SmsTemplateMessage sms)
    {
        var query = new List<KeyValuePair<string, string>>
        {
            new("PhoneNumbers", sms.Phone),
            new("SignName", sms.SignName),
            new("TemplateCode", sms.Template),
            new("OutId", message.IdempotencyKey),
        };
        if (sms.Parameters.Count > 0)
        {
            query.Add(new("TemplateParam", JsonSerializer.Serialize(sms.Parameters.ToDictionary(), Json)));
        }

        var url = _sms.Url;
        var canonicalQuery = AliyunSignature.CanonicalQuery(query);
        var signed = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = url.Authority,
            ["x-acs-action"] = Action,
            ["x-acs-version"] = Version,
            ["x-acs-date"] = AliyunSignature.Date(_sms.Time.GetUtcNow()),
            ["x-acs-signature-nonce"] = Guid.NewGuid().ToString("N"),
            ["x-acs-content-sha256"] = EmptyPayloadHash,
        };
        var request = new HttpRequestMessage(HttpMethod.Post, new UriBuilder(url) { Query = canonicalQuery }.Uri);
        foreach (var (name, value) in signed.Where(h => h.Key != "host"))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        request.Headers.TryAddWithoutValidation("Authorization",
            AliyunSignature.Authorization(_accessKeyId, _secret, "POST", url.AbsolutePath, canonicalQuery, signed, EmptyPayloadHash));
        return (request, default);
    }

    private static DeliveryResult? Answer(JsonElement answer) =>
        answer.TryGetProperty("Code", out var code)
            ? AliyunSmsErrors.Map(code.GetString() ?? "", answer.TryGetProperty("Message", out var m) ? m.GetString() : null)
            : null;
}
