using Journeys.Delivery;
using Journeys.State;

namespace Journeys.Channels;

/// <summary>Settings of an <see cref="SmsGatewayChannel"/>: the gateway's endpoint, how its body looks (format and field
/// names) and where the phone number comes from, plus what every HTTP channel has (see
/// <see cref="HttpChannelOptions"/>). The text is the message's rendered body. Credentials usually go in
/// <see cref="HttpChannelOptions.Headers"/> (<c>Authorization</c>).</summary>
public sealed class SmsGatewayChannelOptions : HttpChannelOptions
{
    /// <summary>Creates options with the defaults documented on each property.</summary>
    public SmsGatewayChannelOptions()
        : base("sms")
    {
    }

    /// <summary>Form or JSON; <see cref="SmsBodyFormat.Form"/> by default.</summary>
    public SmsBodyFormat BodyFormat { get; set; } = SmsBodyFormat.Form;

    /// <summary>The field that carries the phone number; <c>to</c> by default.</summary>
    public string ToField { get; set; } = "to";

    /// <summary>The field that carries the text; <c>text</c> by default.</summary>
    public string TextField { get; set; } = "text";

    /// <summary>The field that carries <see cref="Sender"/>; <c>from</c> by default.</summary>
    public string SenderField { get; set; } = "from";

    /// <summary>The sender id or number; when null (the default) the sender field is left out and the gateway's
    /// default applies.</summary>
    public string? Sender { get; set; }

    /// <summary>A field that also carries the idempotency key in the body, for gateways that take a client reference;
    /// null (the default) leaves it out. The <c>Idempotency-Key</c> header is sent either way.</summary>
    public string? ReferenceField { get; set; }

    /// <summary>The customer trait that holds the phone number; <c>phone</c> by default. A customer without it gets a
    /// <see cref="DeliveryStatus.PermanentFailure"/> with the reason <c>no phone</c>.</summary>
    public string PhoneTrait { get; set; } = "phone";

    private protected override void Validate(List<string> errors)
    {
        base.Validate(errors);
        if (!Enum.IsDefined(BodyFormat))
        {
            errors.Add(Error(nameof(BodyFormat), $"must be Form or Json (was {BodyFormat})"));
        }

        var fields = new List<(string Property, string? Value)> { (nameof(ToField), ToField), (nameof(TextField), TextField) };
        if (Sender is not null)
        {
            fields.Add((nameof(SenderField), SenderField));
        }

        if (ReferenceField is not null)
        {
            fields.Add((nameof(ReferenceField), ReferenceField));
        }

        foreach (var (property, value) in fields)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add(Error(property, "must not be empty"));
            }
            else if (fields.FindIndex(f => f.Value == value) is var first && fields[first].Property != property)
            {
                errors.Add(Error(property, $"must differ from {fields[first].Property} (both are '{value}')"));
            }
        }

        if (string.IsNullOrWhiteSpace(PhoneTrait))
        {
            errors.Add(Error(nameof(PhoneTrait), "must not be empty"));
        }
    }
}
