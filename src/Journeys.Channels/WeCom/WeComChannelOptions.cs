namespace Journeys.Channels;

/// <summary>What the WeCom (enterprise WeChat) API channels share: the API's base address (<see cref="HttpChannelOptions.Url"/>,
/// <c>https://qyapi.weixin.qq.com/</c> by default), the corp id and the secret its access token is fetched with
/// (<c>/cgi-bin/gettoken</c>). Channels with the same base address, corp id and secret share one cached token.</summary>
public abstract class WeComChannelOptions : HttpChannelOptions
{
    /// <summary>WeCom's public API address.</summary>
    public static readonly Uri DefaultUrl = new("https://qyapi.weixin.qq.com/");

    private protected WeComChannelOptions(string name)
        : base(name)
    {
        Url = DefaultUrl;
    }

    /// <summary>The enterprise's corp id (<c>corpid</c>). Required.</summary>
    public string? CorpId { get; set; }

    /// <summary>The secret of the application (or of the customer-contact feature) the token is fetched for
    /// (<c>corpsecret</c>). Required.</summary>
    public string? Secret { get; set; }

    /// <summary>The customer trait with the user id of the staff member who looks after the customer (the receiver of an
    /// application message, the sender of a group send); <c>wecomStaff</c> by default. The front matter field
    /// <c>staff</c> overrides it per template.</summary>
    public string StaffTrait { get; set; } = "wecomStaff";

    private protected override void Validate(List<string> errors)
    {
        base.Validate(errors);
        if (string.IsNullOrWhiteSpace(CorpId))
        {
            errors.Add(Error(nameof(CorpId), "must not be empty"));
        }

        if (string.IsNullOrWhiteSpace(Secret))
        {
            errors.Add(Error(nameof(Secret), "must not be empty"));
        }

        if (string.IsNullOrWhiteSpace(StaffTrait))
        {
            errors.Add(Error(nameof(StaffTrait), "must not be empty"));
        }
    }
}
