using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>Sends each message as an SMS through an HTTP gateway: one POST per attempt with the customer's phone number
/// (from a trait), the message's rendered <see cref="OutboundMessage.Body"/> as the text, and the sender, as a form or as
/// JSON, with the idempotency key, and the answer mapped as the <see cref="WebhookChannel"/> maps it. The gateway is not
/// called, and the send fails permanently, for a customer without a phone number (reason <see cref="NoPhoneReason"/>)
/// and for a message without a rendered body (reason starting with <see cref="NoBodyReason"/>: its journey folder has
/// no templates, and a template's name is not a text to send to a phone).</summary>
public sealed class SmsGatewayChannel : IChannel
{
    /// <summary>The reason given when the customer has no phone number.</summary>
    public const string NoPhoneReason = "no phone";

    /// <summary>How the reason starts when the message has no rendered body.</summary>
    public const string NoBodyReason = "no rendered body";

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly HttpDelivery _delivery;
    private readonly SmsBodyFormat _format;
    private readonly string _toField;
    private readonly string _textField;
    private readonly string _senderField;
    private readonly string? _sender;
    private readonly string? _referenceField;
    private readonly string _phoneTrait;

    /// <summary>Creates the channel with clients from a factory: each send asks for the client named
    /// <see cref="HttpChannelOptions.Name"/>.</summary>
    /// <param name="options">The settings; checked now, throwing an <see cref="ArgumentException"/> that names every
    /// wrong property.</param>
    /// <param name="httpClientFactory">The factory, usually from dependency injection.</param>
    public SmsGatewayChannel(SmsGatewayChannelOptions options, IHttpClientFactory httpClientFactory)
        : this(options, HttpDelivery.ClientFrom(httpClientFactory, options))
    {
    }

    /// <summary>Creates the channel over one client the caller owns (and disposes).</summary>
    /// <param name="options">The settings; checked now, throwing an <see cref="ArgumentException"/> that names every
    /// wrong property.</param>
    /// <param name="httpClient">The client every send uses.</param>
    public SmsGatewayChannel(SmsGatewayChannelOptions options, HttpClient httpClient)
        : this(options, HttpDelivery.ClientFrom(httpClient))
    {
    }

    private SmsGatewayChannel(SmsGatewayChannelOptions options, Func<HttpClient> client)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        Name = options.Name;
        _format = options.BodyFormat;
        _toField = options.ToField;
        _textField = options.TextField;
        _senderField = options.SenderField;
        _sender = options.Sender;
        _referenceField = options.ReferenceField;
        _phoneTrait = options.PhoneTrait;
        _delivery = new HttpDelivery(options, signingKey: null, client);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.Traits.TryGetValue(_phoneTrait, out var value);
        var phone = Convert.ToString(value, CultureInfo.InvariantCulture)?.Trim();
        if (string.IsNullOrEmpty(phone))
        {
            return ValueTask.FromResult(DeliveryResult.Permanent(NoPhoneReason));
        }

        if (message.Body is not { } text)
        {
            return ValueTask.FromResult(MessageFields.NotRendered(message));
        }

        var fields = new List<KeyValuePair<string, string>> { new(_toField, phone), new(_textField, text) };
        if (_sender is not null)
        {
            fields.Add(new(_senderField, _sender));
        }

        if (_referenceField is not null)
        {
            fields.Add(new(_referenceField, message.IdempotencyKey));
        }

        return _format == SmsBodyFormat.Json
            ? _delivery.SendAsync(message.IdempotencyKey, JsonSerializer.SerializeToUtf8Bytes(fields.ToDictionary(), JsonOptions), "application/json; charset=utf-8", cancellationToken)
            : _delivery.SendAsync(message.IdempotencyKey, FormBody(fields), "application/x-www-form-urlencoded", cancellationToken);
    }

    private static byte[] FormBody(List<KeyValuePair<string, string>> fields) =>
        Encoding.UTF8.GetBytes(string.Join('&', fields.Select(f => $"{WebUtility.UrlEncode(f.Key)}={WebUtility.UrlEncode(f.Value)}")));
}
