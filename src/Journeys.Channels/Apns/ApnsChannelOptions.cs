using System.Security.Cryptography;

namespace Journeys.Channels;

/// <summary>Settings of an <see cref="ApnsChannel"/>: the APNs server (<see cref="HttpChannelOptions.Url"/>,
/// <c>https://api.push.apple.com/</c> by default; <see cref="DevelopmentUrl"/> for development builds of the app), the
/// signing key from the developer account (its <c>.p8</c> file, its key id and the team id), and the app's bundle id.</summary>
public sealed class ApnsChannelOptions : HttpChannelOptions
{
    /// <summary>APNs' production server.</summary>
    public static readonly Uri DefaultUrl = new("https://api.push.apple.com/");

    /// <summary>APNs' development (sandbox) server, for apps signed with a development profile.</summary>
    public static readonly Uri DevelopmentUrl = new("https://api.sandbox.push.apple.com/");

    /// <summary>Creates options with the defaults documented on each property; the name is <c>push</c>.</summary>
    public ApnsChannelOptions()
        : base("push")
    {
        Url = DefaultUrl;
    }

    /// <summary>The developer account's team id, the JWT's issuer (<c>iss</c>). Required.</summary>
    public string? TeamId { get; set; }

    /// <summary>The signing key's id (<c>kid</c>), from the developer account's Keys page. Required.</summary>
    public string? KeyId { get; set; }

    /// <summary>The signing key: the contents of its <c>.p8</c> file, an EC P-256 private key in PEM
    /// (<c>-----BEGIN PRIVATE KEY-----</c>). Required.</summary>
    public string? PrivateKeyPem { get; set; }

    /// <summary>The app's bundle id, sent as <c>apns-topic</c>. Required.</summary>
    public string? Topic { get; set; }

    /// <summary>The customer trait holding the device token (hex); <c>apnsToken</c> by default.</summary>
    public string DeviceTokenTrait { get; set; } = "apnsToken";

    /// <summary><c>apns-priority</c>: 10 (send at once, the default), 5 (as the device's power allows) or 1 (lowest).</summary>
    public int Priority { get; set; } = 10;

    /// <summary>How long APNs keeps trying an offline device (<c>apns-expiration</c> is now plus this); zero means one
    /// attempt only. One day by default.</summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromDays(1);

    private protected override void Validate(List<string> errors)
    {
        base.Validate(errors);
        if (string.IsNullOrWhiteSpace(TeamId))
        {
            errors.Add(Error(nameof(TeamId), "must not be empty"));
        }

        if (string.IsNullOrWhiteSpace(KeyId))
        {
            errors.Add(Error(nameof(KeyId), "must not be empty"));
        }

        if (string.IsNullOrWhiteSpace(PrivateKeyPem))
        {
            errors.Add(Error(nameof(PrivateKeyPem), "must not be empty"));
        }
        else
        {
            try
            {
                using var key = ECDsa.Create();
                key.ImportFromPem(PrivateKeyPem);
                if (key.KeySize != 256)
                {
                    errors.Add(Error(nameof(PrivateKeyPem), $"must be an EC P-256 key (the .p8 file); this one is {key.KeySize} bits"));
                }
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                errors.Add(Error(nameof(PrivateKeyPem), $"must be the .p8 file's EC P-256 private key in PEM ({e.Message})"));
            }
        }

        if (string.IsNullOrWhiteSpace(Topic))
        {
            errors.Add(Error(nameof(Topic), "must not be empty (the app's bundle id)"));
        }

        if (string.IsNullOrWhiteSpace(DeviceTokenTrait))
        {
            errors.Add(Error(nameof(DeviceTokenTrait), "must not be empty"));
        }

        if (Priority is not (1 or 5 or 10))
        {
            errors.Add(Error(nameof(Priority), $"must be 10, 5 or 1 (was {Priority})"));
        }

        if (TimeToLive < TimeSpan.Zero)
        {
            errors.Add(Error(nameof(TimeToLive), $"must not be negative (was {TimeToLive})"));
        }
    }
}
