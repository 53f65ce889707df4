using System.Text.Json;
using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>What the template-based SMS channels (Aliyun, Tencent Cloud) share, each holding one: the settings every send
/// reads (client, endpoint, phone trait, default sign name, the host's headers, clock), the message read as a
/// <see cref="SmsTemplateMessage"/> (or refused before any call), the idempotency key and the host's headers added to the
/// provider's signed request, one exchange, and the provider's JSON answer mapped — or, when the body is not the
/// provider's JSON, its HTTP status. The channel says only how its provider's request is made and its answer read.</summary>
internal sealed class TemplateSmsDelivery
{
    private readonly Func<HttpClient> _client;
    private readonly string _templateField;
    private readonly string? _signName;
    private readonly string _phoneTrait;
    private readonly KeyValuePair<string, string>[] _headers;
    private readonly Func<OutboundMessage, SmsTemplateMessage, (HttpRequestMessage? Request, DeliveryResult Refused)> _request;
    private readonly Func<JsonElement, DeliveryResult?> _answer;
    private readonly string _unanswered;
    private readonly Func<HttpResponseMessage, byte[], DeliveryResult> _read;

    /// <param name="options">The channel's settings, already checked.</param>
    /// <param name="client">The client each send uses.</param>
    /// <param name="templateField">The front matter field with the provider's approved template.</param>
    /// <param name="signName">The channel's default sign name.</param>
    /// <param name="phoneTrait">The trait with the phone number.</param>
    /// <param name="request">The provider's signed request for a message, or why it cannot be sent (permanent).</param>
    /// <param name="answer">The result a provider's JSON object says, or null when it is not a provider's answer.</param>
    /// <param name="unanswered">The reason of a retry when a 2xx answer is not one.</param>
    public TemplateSmsDelivery(HttpChannelOptions options, Func<HttpClient> client, string templateField, string? signName, string phoneTrait,
        Func<OutboundMessage, SmsTemplateMessage, (HttpRequestMessage? Request, DeliveryResult Refused)> request,
        Func<JsonElement, DeliveryResult?> answer, string unanswered)
    {
        _client = client;
        Url = options.Url!;
        Time = options.TimeProvider;
        _headers = [.. options.Headers];
        _templateField = templateField;
        _signName = signName;
        _phoneTrait = phoneTrait;
        _request = request;
        _answer = answer;
        _unanswered = unanswered;
        _read = Read;
    }

    /// <summary>The provider's endpoint.</summary>
    public Uri Url { get; }

    /// <summary>The clock requests are signed and <c>Retry-After</c> dates read on.</summary>
    public TimeProvider Time { get; }

    /// <summary>Sends the message: one attempt.</summary>
    public async ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        var (sms, refused) = SmsTemplateMessage.From(message, _phoneTrait, _templateField, _signName);
        if (sms is null)
        {
            return refused;
        }

        var (request, invalid) = _request(message, sms);
        if (request is null)
        {
            return invalid;
        }

        request.Headers.TryAddWithoutValidation(HttpDelivery.IdempotencyKeyHeader, message.IdempotencyKey);
        foreach (var (name, value) in _headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await HttpExchange.SendAsync(_client(), request, Time, _read, cancellationToken).ConfigureAwait(false);
    }

    private DeliveryResult Read(HttpResponseMessage response, byte[] answer)
    {
        try
        {
            using var json = JsonDocument.Parse(answer);
            if (json.RootElement.ValueKind == JsonValueKind.Object && _answer(json.RootElement) is { } result)
            {
                return result;
            }
        }
        catch (JsonException)
        {
            // not the provider's JSON: mapped by its HTTP status below
        }

        return response.IsSuccessStatusCode ? DeliveryResult.Retry(_unanswered) : HttpExchange.Refused(response, answer);
    }
}
