using System.Globalization;
using System.Text.Json;
using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>What a WeCom message says, from the rendered message and its front matter fields: the message type
/// (<c>msgtype</c>: <c>text</c>, the default, <c>markdown</c> or <c>news</c>), and for news the article's title (the
/// subject, or the field <c>title</c>), link (<c>url</c>) and picture (<c>picurl</c>); the body is the text, the markdown
/// or the article's description.</summary>
internal sealed record WeComContent(string MsgType, string Body, string? Title, string? Url, string? PicUrl)
{
    public const string Text = "text";
    public const string Markdown = "markdown";
    public const string News = "news";

    /// <summary>The content of <paramref name="message"/>, or why it cannot be sent (a permanent failure).</summary>
    public static (WeComContent? Content, DeliveryResult Refused) From(OutboundMessage message, bool markdownAllowed)
    {
        if (message.Body is not { } body)
        {
            return (null, MessageFields.NotRendered(message));
        }

        var msgtype = message.Fields.TryGetValue("msgtype", out var t) ? t.Trim() : Text;
        if (msgtype is not (Text or Markdown or News) || (msgtype == Markdown && !markdownAllowed))
        {
            return (null, DeliveryResult.Permanent(
                $"template '{message.Template}': msgtype '{msgtype}' is not one this channel sends ({(markdownAllowed ? "text, markdown or news" : "text or news")})"));
        }

        var title = message.Subject ?? MessageFields.Get(message, "title");
        var url = MessageFields.Get(message, "url");
        if (msgtype == News && (string.IsNullOrWhiteSpace(title) || !Uri.TryCreate(url, UriKind.Absolute, out _)))
        {
            return (null, DeliveryResult.Permanent(
                $"template '{message.Template}': a news message needs a title (subject: or the field 'title') and an absolute 'url' field"));
        }

        return (new WeComContent(msgtype, body, title, url, MessageFields.Get(message, "picurl")), default);
    }

    /// <summary>Writes <c>"msgtype": ...</c> and its object, as the application message and group robot APIs take them.</summary>
    public void WriteTo(Utf8JsonWriter w)
    {
        w.WriteString("msgtype", MsgType);
        w.WriteStartObject(MsgType);
        if (MsgType == News)
        {
            w.WriteStartArray("articles");
            w.WriteStartObject();
            w.WriteString("title", Title);
            w.WriteString("description", Body);
            w.WriteString("url", Url);
            if (PicUrl is not null)
            {
                w.WriteString("picurl", PicUrl);
            }

            w.WriteEndObject();
            w.WriteEndArray();
        }
        else
        {
            w.WriteString("content", Body);
        }

        w.WriteEndObject();
    }

    /// <summary>A customer's id for a provider, from the front matter field (when set) or else the trait; null when neither.</summary>
    internal static string? Recipient(OutboundMessage message, string field, string trait)
    {
        if (MessageFields.Get(message, field) is { } fromField)
        {
            return fromField;
        }

        return MessageFields.Trait(message, trait);
    }
}
