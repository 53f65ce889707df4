namespace Journeys.Channels;

/// <summary>What every HTTP channel shares: where to post, which headers to add, and the clock signatures and
/// <c>Retry-After</c> dates are read on. The options are read once, when the channel is created; changing them afterwards
/// has no effect.</summary>
/// <remarks>A channel makes one attempt per send: it maps the receiver's answer to a
/// <see cref="Delivery.DeliveryResult"/> (2xx delivered; connection failures, HTTP 408, 429 and 5xx retryable, with the
/// receiver's <c>Retry-After</c>; any other answer permanent) and returns. Retries with jittered backoff, the attempt
/// timeout, the circuit breaker and the rate limit are the engine's, one pipeline per channel
/// (<see cref="Delivery.ChannelDeliveryOptions"/>). Used outside an engine, the <see cref="HttpClient"/>'s own
/// <see cref="HttpClient.Timeout"/> bounds an attempt.</remarks>
public abstract class HttpChannelOptions
{
    private protected HttpChannelOptions(string name) => Name = name;

    /// <summary>The channel name journeys use in <c>send: { channel: ... }</c> (an action's: <c>call: { action: ... }</c>),
    /// and the name of the client asked from an <see cref="IHttpClientFactory"/>, so a host can configure it with
    /// <c>services.AddHttpClient(name)</c>; an action asks for <c>action:</c> and its name
    /// (<see cref="Microsoft.Extensions.DependencyInjection.JourneysBuilderExtensions.ActionOptionsName"/>).</summary>
    public string Name { get; set; }

    /// <summary>The absolute <c>http</c> or <c>https</c> URL messages are posted to. Required.</summary>
    public Uri? Url { get; set; }

    /// <summary>Extra request headers sent with every attempt, such as <c>Authorization</c>. Empty by default.</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The clock for signature timestamps and <c>Retry-After</c> dates. <see cref="TimeProvider.System"/> by
    /// default; a fake one in tests.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Throws one <see cref="ArgumentException"/> listing every wrong setting, each named by its property.</summary>
    internal void ThrowIfInvalid()
    {
        var errors = Errors();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid {GetType().Name}:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors), "options");
        }
    }

    /// <summary>One line for every wrong setting, each naming the options type and the property; empty when all are
    /// right.</summary>
    internal List<string> Errors()
    {
        var errors = new List<string>();
        Validate(errors);
        return errors;
    }

    /// <summary>Adds a line for every wrong setting; derived options add theirs after calling the base.</summary>
    private protected virtual void Validate(List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            errors.Add(Error(nameof(Name), "must not be empty"));
        }

        if (Url is null || !Url.IsAbsoluteUri || (Url.Scheme != Uri.UriSchemeHttp && Url.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add(Error(nameof(Url), $"must be an absolute http or https URL (was {(Url is null ? "null" : $"'{Url}'")})"));
        }

        foreach (var (header, value) in Headers)
        {
            if (string.IsNullOrWhiteSpace(header) || value is null)
            {
                errors.Add(Error(nameof(Headers), $"must have a name and a value for every header (was '{header}')"));
            }
        }

        if (TimeProvider is null)
        {
            errors.Add(Error(nameof(TimeProvider), "must not be null"));
        }
    }

    /// <summary>Adds a line when a signing secret (a <c>Secret</c> property) is missing or shorter than 16 characters.</summary>
    private protected void ValidateSecret(List<string> errors, string? secret)
    {
        if (secret is null || secret.Length < 16)
        {
            errors.Add(Error("Secret", $"must be at least 16 characters (was {(secret is null ? "null" : $"{secret.Length} characters")})"));
        }
    }

    /// <summary>A validation message that names the options type and the property.</summary>
    private protected string Error(string property, string problem) => $"{GetType().Name}.{property} {problem}.";
}
