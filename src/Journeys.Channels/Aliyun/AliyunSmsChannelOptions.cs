namespace Journeys.Channels;

/// <summary>Settings of an <see cref="AliyunSmsChannel"/>: the Short Message Service endpoint
/// (<see cref="HttpChannelOptions.Url"/>, <c>https://dysmsapi.aliyuncs.com/</c> by default), the AccessKey pair that signs
/// each request (ACS3-HMAC-SHA256), the default sign name and the phone trait.</summary>
public sealed class AliyunSmsChannelOptions : HttpChannelOptions
{
    /// <summary>Aliyun's SMS endpoint.</summary>
    public static readonly Uri DefaultUrl = new("https://dysmsapi.aliyuncs.com/");

    /// <summary>Creates options with the defaults documented on each property; the name is <c>aliyun-sms</c>.</summary>
    public AliyunSmsChannelOptions()
        : base("aliyun-sms")
    {
        Url = DefaultUrl;
    }

    /// <summary>The AccessKey id. Required.</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>The AccessKey secret requests are signed with. Required.</summary>
    public string? AccessKeySecret { get; set; }

    /// <summary>The approved sign name (<c>SignName</c>) used when a template has no <c>signName</c> field; null (the
    /// default) requires the field.</summary>
    public string? SignName { get; set; }

    /// <summary>The customer trait holding the phone number; <c>phone</c> by default.</summary>
    public string PhoneTrait { get; set; } = "phone";

    private protected override void Validate(List<string> errors)
    {
        base.Validate(errors);
        if (string.IsNullOrWhiteSpace(AccessKeyId))
        {
            errors.Add(Error(nameof(AccessKeyId), "must not be empty"));
        }

        if (string.IsNullOrWhiteSpace(AccessKeySecret))
        {
            errors.Add(Error(nameof(AccessKeySecret), "must not be empty"));
        }

        if (SignName is not null && string.IsNullOrWhiteSpace(SignName))
        {
            errors.Add(Error(nameof(SignName), "must not be blank (null to take it from each template's 'signName' field)"));
        }

        if (string.IsNullOrWhiteSpace(PhoneTrait))
        {
            errors.Add(Error(nameof(PhoneTrait), "must not be empty"));
        }
    }
}
