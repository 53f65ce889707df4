namespace Journeys.Channels;

/// <summary>Settings of a <see cref="WebhookChannel"/>: the receiver's URL and shared secret, plus what every HTTP channel
/// has (see <see cref="HttpChannelOptions"/>).</summary>
public sealed class WebhookChannelOptions : HttpChannelOptions
{
    /// <summary>Creates options with the defaults documented on each property.</summary>
    public WebhookChannelOptions()
        : base("webhook")
    {
    }

    /// <summary>The secret shared with the receiver, for the <see cref="WebhookSignature"/> on every request. Required;
    /// at least 16 characters.</summary>
    public string? Secret { get; set; }

    private protected override void Validate(List<string> errors)
    {
        base.Validate(errors);
        ValidateSecret(errors, Secret);
    }
}
