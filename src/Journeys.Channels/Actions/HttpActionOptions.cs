namespace Journeys.Channels;

/// <summary>Settings of an <see cref="HttpJourneyAction"/>: where calls are posted, the headers sent with them, an
/// optional shared secret to sign them and an optional timeout per attempt, plus what every HTTP adapter has (see
/// <see cref="HttpChannelOptions"/>). Here <see cref="HttpChannelOptions.Name"/> is the action's name, the one journeys
/// use in <c>call: { action: ... }</c> (and the name of the <see cref="IHttpClientFactory"/> client).</summary>
public sealed class HttpActionOptions : HttpChannelOptions
{
    /// <summary>The longest <see cref="Timeout"/> allowed: one day.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(1);

    /// <summary>Creates options with the defaults documented on each property.</summary>
    public HttpActionOptions()
        : base("http-action")
    {
    }

    /// <summary>A secret shared with the receiver: when set, every request carries a <see cref="WebhookSignature"/> (the
    /// same headers and signed content as a <see cref="WebhookChannel"/>'s). Null by default (no signature); when set, at
    /// least 16 characters.</summary>
    public string? Secret { get; set; }

    /// <summary>How long one attempt may wait for the receiver's answer before it counts as a retryable failure
    /// (<c>timed out: no answer within ...</c>), on <see cref="HttpChannelOptions.TimeProvider"/>. Null by default: the
    /// engine's attempt timeout (<see cref="Delivery.ChannelDeliveryOptions.AttemptTimeout"/>) bounds an attempt, or
    /// outside an engine the <see cref="HttpClient"/>'s own. When both are set the shorter one ends the attempt. Positive
    /// and at most <see cref="MaxTimeout"/>.</summary>
    public TimeSpan? Timeout { get; set; }

    private protected override void Validate(List<string> errors)
    {
        base.Validate(errors);
        if (Secret is not null)
        {
            ValidateSecret(errors, Secret);
        }

        if (Timeout is { } timeout && (timeout <= TimeSpan.Zero || timeout > MaxTimeout))
        {
            errors.Add(Error(nameof(Timeout), $"must be positive and at most {MaxTimeout} (was {timeout})"));
        }
    }
}
