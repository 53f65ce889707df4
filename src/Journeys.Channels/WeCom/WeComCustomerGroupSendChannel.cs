using System.Text.Json;
using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>Sends each message to one customer as a WeCom group-send task (<c>/cgi-bin/externalcontact/add_msg_template</c>,
/// <c>chat_type: single</c>): the customer's external user id (the trait
/// <see cref="WeComCustomerGroupSendChannelOptions.ExternalUserIdTrait"/>) and the staff member who sends it (the trait
/// <see cref="WeComChannelOptions.StaffTrait"/>, or the front matter field <c>staff</c>).</summary>
/// <remarks><para><b>Delivered means the task was created, not that the customer has the message.</b> WeCom sends a
/// group-send task only once the staff member confirms it in their WeCom client; until then nothing reaches the
/// customer, and a task never confirmed is never sent.</para>
/// <para><b>WeCom caps what a customer receives:</b> within one calendar month an enterprise can send a customer at
/// most 4 group-send messages (WeCom's rule at the time of writing). A customer over the cap, or not a contact of the
/// sender, comes back in <c>fail_list</c>: the channel fails that message permanently, saying so. Keep the journeys'
/// caps for this channel at or below WeCom's.</para>
/// <para>Text, or news as a link attachment (<see cref="WeComContent"/>); markdown is not a type group sends take.
/// One attempt per send; errors as <see cref="WeComAppMessageChannel"/> maps them.</para></remarks>
public sealed class WeComCustomerGroupSendChannel : IChannel
{
    /// <summary>The reason when the customer has no external user id.</summary>
    public const string NoExternalUserReason = "no WeCom external user id";

    private readonly WeComApi _api;
    private readonly string _staffTrait;
    private readonly string _externalUserTrait;

    /// <summary>Creates the channel with clients from a factory (the client named <see cref="HttpChannelOptions.Name"/>).</summary>
    /// <param name="options">The settings; checked now, throwing an <see cref="ArgumentException"/> that names every
    /// wrong property.</param>
    /// <param name="httpClientFactory">The factory, usually from dependency injection.</param>
    public WeComCustomerGroupSendChannel(WeComCustomerGroupSendChannelOptions options, IHttpClientFactory httpClientFactory)
        : this(options, HttpDelivery.ClientFrom(httpClientFactory, options))
    {
    }

    /// <summary>Creates the channel over one client the caller owns (and disposes).</summary>
    /// <param name="options">The settings; checked now, throwing an <see cref="ArgumentException"/> that names every
    /// wrong property.</param>
    /// <param name="httpClient">The client every send uses.</param>
    public WeComCustomerGroupSendChannel(WeComCustomerGroupSendChannelOptions options, HttpClient httpClient)
        : this(options, HttpDelivery.ClientFrom(httpClient))
    {
    }

    private WeComCustomerGroupSendChannel(WeComCustomerGroupSendChannelOptions options, Func<HttpClient> client)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        Name = options.Name;
        _staffTrait = options.StaffTrait;
        _externalUserTrait = options.ExternalUserIdTrait;
        _api = new WeComApi(options, client);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        if (WeComContent.Recipient(message, "externalUserId", _externalUserTrait) is not { } customer)
        {
            return ValueTask.FromResult(DeliveryResult.Permanent($"{NoExternalUserReason}: customer {message.CustomerId} has no trait '{_externalUserTrait}'"));
        }

        if (WeComContent.Recipient(message, "staff", _staffTrait) is not { } staff)
        {
            return ValueTask.FromResult(DeliveryResult.Permanent(
                $"{WeComAppMessageChannel.NoStaffReason}: customer {message.CustomerId} has no trait '{_staffTrait}' and the template no 'staff' field"));
        }

        var (content, refused) = WeComContent.From(message, markdownAllowed: false);
        if (content is null)
        {
            return ValueTask.FromResult(refused);
        }

        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("chat_type", "single");
            w.WriteStartArray("external_userid");
            w.WriteStringValue(customer);
            w.WriteEndArray();
            w.WriteString("sender", staff);
            if (content.MsgType == WeComContent.News)
            {
                w.WriteStartArray("attachments");
                w.WriteStartObject();
                w.WriteString("msgtype", "link");
                w.WriteStartObject("link");
                w.WriteString("title", content.Title);
                if (content.PicUrl is not null)
                {
                    w.WriteString("picurl", content.PicUrl);
                }

                w.WriteString("desc", content.Body);
                w.WriteString("url", content.Url);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndArray();
            }
            else
            {
                w.WriteStartObject("text");
                w.WriteString("content", content.Body);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        return _api.PostAsync("cgi-bin/externalcontact/add_msg_template", buffer.ToArray(), message.IdempotencyKey, root =>
            root.TryGetProperty("fail_list", out var failed) && failed.ValueKind == JsonValueKind.Array
                && failed.EnumerateArray().Any(f => f.GetString() == customer)
                ? DeliveryResult.Permanent($"WeCom will not send to customer '{customer}' (fail_list): not a contact of '{staff}', or over the monthly group-send limit")
                : DeliveryResult.Delivered, cancellationToken);
    }
}
