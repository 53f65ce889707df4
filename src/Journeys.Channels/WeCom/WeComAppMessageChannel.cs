using System.Text.Json;
using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>Sends each message as a WeCom application message (<c>/cgi-bin/message/send</c>) to one staff member: the
/// customer's assigned employee (the trait <see cref="WeComChannelOptions.StaffTrait"/>, or the front matter field
/// <c>staff</c>). This is how a journey gives staff work — a call-back, a consultation — rather than a message to the
/// customer. Text, markdown or news (<see cref="WeComContent"/>); WeCom's duplicate check drops a repeat of the same
/// content within <see cref="WeComAppMessageChannelOptions.DuplicateCheckInterval"/>.</summary>
/// <remarks>One attempt per send. <c>errcode</c> 0 is delivered, unless WeCom lists the staff member in
/// <c>invaliduser</c> (permanent); the token codes 40014/42001 drop the cached token and are retryable at once; the
/// rest as <see cref="WeComErrors"/> maps them. HTTP failures as every HTTP channel maps them.</remarks>
public sealed class WeComAppMessageChannel : IChannel
{
    /// <summary>The reason when neither the field <c>staff</c> nor the staff trait names a WeCom user.</summary>
    public const string NoStaffReason = "no staff member";

    private readonly WeComApi _api;
    private readonly int _agentId;
    private readonly int? _duplicateCheckSeconds;
    private readonly string _staffTrait;

    /// <summary>Creates the channel with clients from a factory (the client named <see cref="HttpChannelOptions.Name"/>).</summary>
    /// <param name="options">The settings; checked now, throwing an <see cref="ArgumentException"/> that names every
    /// wrong property.</param>
    /// <param name="httpClientFactory">The factory, usually from dependency injection.</param>
    public WeComAppMessageChannel(WeComAppMessageChannelOptions options, IHttpClientFactory httpClientFactory)
        : this(options, HttpDelivery.ClientFrom(httpClientFactory, options))
    {
    }

    /// <summary>Creates the channel over one client the caller owns (and disposes).</summary>
    /// <param name="options">The settings; checked now, throwing an <see cref="ArgumentException"/> that names every
    /// wrong property.</param>
    /// <param name="httpClient">The client every send uses.</param>
    public WeComAppMessageChannel(WeComAppMessageChannelOptions options, HttpClient httpClient)
        : this(options, HttpDelivery.ClientFrom(httpClient))
    {
    }

    private WeComAppMessageChannel(WeComAppMessageChannelOptions options, Func<HttpClient> client)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        Name = options.Name;
        _agentId = options.AgentId;
        _duplicateCheckSeconds = options.DuplicateCheckInterval is { } d ? (int)Math.Ceiling(d.TotalSeconds) : null;
        _staffTrait = options.StaffTrait;
        _api = new WeComApi(options, client);
    }

    /// <inheritdoc />
    public string Name { get; }

    internal CachedToken Token => _api.Token;

    /// <inheritdoc />
    public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        if (WeComContent.Recipient(message, "staff", _staffTrait) is not { } staff)
        {
            return ValueTask.FromResult(DeliveryResult.Permanent($"{NoStaffReason}: customer {message.CustomerId} has no trait '{_staffTrait}' and the template no 'staff' field"));
        }

        var (content, refused) = WeComContent.From(message, markdownAllowed: true);
        if (content is null)
        {
            return ValueTask.FromResult(refused);
        }

        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("touser", staff);
            w.WriteNumber("agentid", _agentId);
            content.WriteTo(w);
            if (_duplicateCheckSeconds is { } seconds)
            {
                w.WriteNumber("enable_duplicate_check", 1);
                w.WriteNumber("duplicate_check_interval", seconds);
            }

            w.WriteEndObject();
        }

        return _api.PostAsync("cgi-bin/message/send", buffer.ToArray(), message.IdempotencyKey, root =>
            root.TryGetProperty("invaliduser", out var invalid) && invalid.GetString() is { Length: > 0 } users && users.Split('|').Contains(staff)
                ? DeliveryResult.Permanent($"WeCom lists staff member '{staff}' as invalid for agent {_agentId} (invaliduser)")
                : DeliveryResult.Delivered, cancellationToken);
    }
}
