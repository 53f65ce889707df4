namespace Journeys.Channels;

/// <summary>Settings of a <see cref="TencentSmsChannel"/>: the SMS endpoint (<see cref="HttpChannelOptions.Url"/>,
/// <c>https://sms.tencentcloudapi.com/</c> by default), the API key pair that signs each request (TC3-HMAC-SHA256), the
/// region, the SMS application id, the default sign name and the phone trait.</summary>
public sealed class TencentSmsChannelOptions : HttpChannelOptions
{
    /// <summary>Tencent Cloud's SMS endpoint.</summary>
    public static readonly Uri DefaultUrl = new("https://sms.tencentcloudapi.com/");

    /// <summary>Creates options with the defaults documented on each property; the name is <c>tencent-sms</c>.</summary>
    public TencentSmsChannelOptions()
        : base("tencent-sms")
    {
        Url = DefaultUrl;
    }

    /// <summary>The API key's SecretId. Required.</summary>
    public string? SecretId { get; set; }

    /// <summary>The API key's SecretKey requests are signed with. Required.</summary>
    public string? SecretKey { get; set; }

    /// <summary>The region (<c>X-TC-Region</c>); <c>ap-guangzhou</c> by default.</summary>
    public string Region { get; set; } = "ap-guangzhou";

    /// <summary>The SMS application's id (<c>SmsSdkAppId</c>). Required.</summary>
    public string? SmsSdkAppId { get; set; }

    /// <summary>The approved sign name (<c>SignName</c>) used when a template has no <c>signName</c> field; null (the
    /// default) requires the field.</summary>
    public string? SignName { get; set; }

    /// <summary>The customer trait holding the phone number, in E.164 form (<c>+8613800138000</c>); <c>phone</c> by
    /// default.</summary>
    public string PhoneTrait { get; set; } = "phone";

    private protected override void Validate(List<string> errors)
    {
        base.Validate(errors);
        foreach (var (property, value) in new[] { (nameof(SecretId), SecretId), (nameof(SecretKey), SecretKey), (nameof(SmsSdkAppId), SmsSdkAppId), (nameof(Region), Region), (nameof(PhoneTrait), PhoneTrait) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add(Error(property, "must not be empty"));
            }
        }

        if (SignName is not null && string.IsNullOrWhiteSpace(SignName))
        {
            errors.Add(Error(nameof(SignName), "must not be blank (null to take it from each template's 'signName' field)"));
        }
    }
}
