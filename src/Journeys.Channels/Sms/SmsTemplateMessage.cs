using System.Globalization;
using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>What the template-based SMS providers (Aliyun, Tencent Cloud) send for a message: the phone number (a
/// trait), the provider's approved template (the front matter field named by the provider), its parameters (the fields
/// <c>param.&lt;name&gt;</c>, in the order written) and the sign name (the field <c>signName</c>, or the channel's).
/// The body is not sent: the provider renders its approved template from the parameters.</summary>
internal sealed record SmsTemplateMessage(string Phone, string Template, string SignName, IReadOnlyList<KeyValuePair<string, string>> Parameters)
{
    /// <summary>The prefix of a parameter field.</summary>
    public const string ParameterPrefix = "param.";

    /// <summary>Reads the message, or says why it cannot be sent (a permanent failure; the provider is not called).</summary>
    public static (SmsTemplateMessage? Message, DeliveryResult Refused) From(OutboundMessage message, string phoneTrait, string templateField, string? signName)
    {
        message.Traits.TryGetValue(phoneTrait, out var value);
        var phone = Convert.ToString(value, CultureInfo.InvariantCulture)?.Trim();
        if (string.IsNullOrEmpty(phone))
        {
            return (null, DeliveryResult.Permanent(SmsGatewayChannel.NoPhoneReason));
        }

        if (MessageFields.Get(message, templateField) is not { } template)
        {
            return (null, DeliveryResult.Permanent(
                $"no SMS template: template '{message.Template}' has no '{templateField}' in its front matter fields"));
        }

        var sign = MessageFields.Get(message, "signName") ?? signName;
        if (sign is null)
        {
            return (null, DeliveryResult.Permanent($"no SMS sign name: the channel has no SignName and template '{message.Template}' no 'signName' field"));
        }

        var parameters = message.Fields.Where(f => f.Key.StartsWith(ParameterPrefix, StringComparison.Ordinal) && f.Key.Length > ParameterPrefix.Length)
            .Select(f => new KeyValuePair<string, string>(f.Key[ParameterPrefix.Length..], f.Value)).ToList();
        return (new SmsTemplateMessage(phone, template, sign, parameters), default);
    }
}
