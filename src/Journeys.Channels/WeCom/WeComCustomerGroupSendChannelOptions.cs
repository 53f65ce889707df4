namespace Journeys.Channels;

/// <summary>Settings of a <see cref="WeComCustomerGroupSendChannel"/>: the shared WeCom settings
/// (<see cref="WeComChannelOptions"/>; the secret is the customer-contact secret or that of an application allowed to
/// call it) and where the customer's external user id comes from.</summary>
public sealed class WeComCustomerGroupSendChannelOptions : WeComChannelOptions
{
    /// <summary>Creates options with the defaults documented on each property; the name is <c>wecom-customer</c>.</summary>
    public WeComCustomerGroupSendChannelOptions()
        : base("wecom-customer")
    {
    }

    /// <summary>The customer trait holding the customer's WeCom external user id (<c>external_userid</c>);
    /// <c>wecomExternalUserId</c> by default.</summary>
    public string ExternalUserIdTrait { get; set; } = "wecomExternalUserId";

    private protected override void Validate(List<string> errors)
    {
        base.Validate(errors);
        if (string.IsNullOrWhiteSpace(ExternalUserIdTrait))
        {
            errors.Add(Error(nameof(ExternalUserIdTrait), "must not be empty"));
        }
    }
}
