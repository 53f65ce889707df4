using System.Security.Cryptography;

namespace Journeys.Channels;

/// <summary>Settings of an <see cref="FcmChannel"/>: the FCM API (<see cref="HttpChannelOptions.Url"/>,
/// <c>https://fcm.googleapis.com/</c> by default), the Firebase project, and the service account whose key signs the
/// JWT exchanged for an OAuth access token (the <c>project_id</c>, <c>client_email</c>, <c>private_key</c> and
/// <c>token_uri</c> of its JSON key file).</summary>
public sealed class FcmChannelOptions : HttpChannelOptions
{
    /// <summary>FCM's API address.</summary>
    public static readonly Uri DefaultUrl = new("https://fcm.googleapis.com/");

    /// <summary>Google's OAuth token endpoint.</summary>
    public static readonly Uri DefaultTokenUri = new("https://oauth2.googleapis.com/token");

    /// <summary>Creates options with the defaults documented on each property; the name is <c>push</c>.</summary>
    public FcmChannelOptions()
        : base("push")
    {
        Url = DefaultUrl;
    }

    /// <summary>The Firebase project id. Required.</summary>
    public string? ProjectId { get; set; }

    /// <summary>The service account's e-mail (<c>client_email</c>), the JWT's issuer. Required.</summary>
    public string? ClientEmail { get; set; }

    /// <summary>The service account's RSA private key, PEM (<c>private_key</c>, <c>-----BEGIN PRIVATE KEY-----</c>).
    /// Required.</summary>
    public string? PrivateKeyPem { get; set; }

    /// <summary>Where the JWT is exchanged for an access token (<c>token_uri</c>); Google's by default.</summary>
    public Uri TokenUri { get; set; } = DefaultTokenUri;

    /// <summary>The customer trait holding the device's registration token; <c>fcmToken</c> by default.</summary>
    public string DeviceTokenTrait { get; set; } = "fcmToken";

    private protected override void Validate(List<string> errors)
    {
        base.Validate(errors);
        if (string.IsNullOrWhiteSpace(ProjectId))
        {
            errors.Add(Error(nameof(ProjectId), "must not be empty"));
        }

        if (string.IsNullOrWhiteSpace(ClientEmail))
        {
            errors.Add(Error(nameof(ClientEmail), "must not be empty"));
        }

        if (string.IsNullOrWhiteSpace(PrivateKeyPem))
        {
            errors.Add(Error(nameof(PrivateKeyPem), "must not be empty"));
        }
        else
        {
            try
            {
                using var rsa = RSA.Create();
                rsa.ImportFromPem(PrivateKeyPem);
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                errors.Add(Error(nameof(PrivateKeyPem), $"must be the service account's RSA private key in PEM ({e.Message})"));
            }
        }

        if (TokenUri is null || !TokenUri.IsAbsoluteUri || (TokenUri.Scheme != Uri.UriSchemeHttp && TokenUri.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add(Error(nameof(TokenUri), "must be an absolute http or https URL"));
        }

        if (string.IsNullOrWhiteSpace(DeviceTokenTrait))
        {
            errors.Add(Error(nameof(DeviceTokenTrait), "must not be empty"));
        }
    }
}
