using System.Globalization;
using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>What every HTTP channel shares: where to post, how long one attempt may take, how often and how patiently to
/// retry, when to stop calling a receiver that keeps failing, and the clock all of that is measured on. The options are
/// read once, when the channel is created; changing them afterwards has no effect.</summary>
/// <remarks>Inside a journey engine, retries belong to the engine's delivery pipeline
/// (<see cref="ChannelDeliveryOptions.MaxAttempts"/>, which waits for the receiver's <c>Retry-After</c>): leave
/// <see cref="MaxRetries"/> at 0 there; the engine refuses to build when both retry. Used on its own, a channel tries a
/// message at most <see cref="MaxRetries"/> + 1 times. Transient failures (connection failures, the
/// attempt <see cref="Timeout"/>, HTTP 408, 429 and 5xx) are retried after a jittered exponential back-off starting at
/// <see cref="BaseDelay"/>, or after the receiver's <c>Retry-After</c> when it sends one. A circuit breaker counts the
/// same failures and, once they make up <see cref="CircuitBreakerFailureRatio"/> of at least
/// <see cref="CircuitBreakerMinimumThroughput"/> attempts within <see cref="CircuitBreakerSamplingDuration"/>, fails
/// sends at once for <see cref="CircuitBreakerBreakDuration"/> before letting one trial attempt through.</remarks>
public abstract class HttpChannelOptions
{
    private static readonly TimeSpan MinimumTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MinimumBreakerDuration = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan OneDay = TimeSpan.FromDays(1);

    private protected HttpChannelOptions(string name) => Name = name;

    /// <summary>The channel name journeys use in <c>send: { channel: ... }</c>, and the name of the client asked from an
    /// <see cref="IHttpClientFactory"/>, so a host can configure it with <c>services.AddHttpClient(name)</c>.</summary>
    public string Name { get; set; }

    /// <summary>The absolute <c>http</c> or <c>https</c> URL messages are posted to. Required.</summary>
    public Uri? Url { get; set; }

    /// <summary>Extra request headers sent with every attempt, such as <c>Authorization</c>. Empty by default.</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long one attempt may take, response included, before it counts as a transient failure. Between
    /// 10 ms and 1 day; 10 seconds by default.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many times the channel itself retries a transient failure within one send; 0 by default, which leaves
    /// retries to the engine (<see cref="ChannelDeliveryOptions.MaxAttempts"/>). Set it only for a channel used
    /// outside an engine, or inside one whose <c>MaxAttempts</c> is 1: the engine refuses both at once.</summary>
    public int MaxRetries { get; set; }

    /// <summary>The median wait before the first retry; later waits grow exponentially, with jitter. Between zero and
    /// <see cref="MaxRetryDelay"/>; 1 second by default.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two attempts. A receiver asking with <c>Retry-After</c> for a longer wait is not
    /// retried: the send ends at once as a retryable failure whose reason gives the requested wait. Between zero and 1 day;
    /// 30 seconds by default.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The share of failed attempts, above 0 and at most 1, that opens the circuit. 0.5 by default.</summary>
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>How many attempts, at least 2, the sampling window must hold before the ratio counts. 10 by default.</summary>
    public int CircuitBreakerMinimumThroughput { get; set; } = 10;

    /// <summary>The window over which failures are counted. Between 0.5 seconds and 1 day; 30 seconds by default.</summary>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit fails sends at once before one trial attempt. Between 0.5 seconds and 1 day;
    /// 30 seconds by default.</summary>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock for timeouts, back-off waits, <c>Retry-After</c> dates, signature timestamps and the circuit
    /// breaker. <see cref="TimeProvider.System"/> by default; a fake one in tests.</summary>
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

        CheckRange(errors, nameof(Timeout), Timeout, MinimumTimeout, OneDay);
        if (MaxRetries < 0)
        {
            errors.Add(Error(nameof(MaxRetries), $"must be 0 or more (was {MaxRetries})"));
        }

        CheckRange(errors, nameof(MaxRetryDelay), MaxRetryDelay, TimeSpan.Zero, OneDay);
        CheckRange(errors, nameof(BaseDelay), BaseDelay, TimeSpan.Zero, MaxRetryDelay < TimeSpan.Zero ? OneDay : MaxRetryDelay);
        if (!(CircuitBreakerFailureRatio > 0 && CircuitBreakerFailureRatio <= 1))
        {
            errors.Add(Error(nameof(CircuitBreakerFailureRatio), $"must be above 0 and at most 1 (was {CircuitBreakerFailureRatio.ToString(CultureInfo.InvariantCulture)})"));
        }

        if (CircuitBreakerMinimumThroughput < 2)
        {
            errors.Add(Error(nameof(CircuitBreakerMinimumThroughput), $"must be 2 or more (was {CircuitBreakerMinimumThroughput})"));
        }

        CheckRange(errors, nameof(CircuitBreakerSamplingDuration), CircuitBreakerSamplingDuration, MinimumBreakerDuration, OneDay);
        CheckRange(errors, nameof(CircuitBreakerBreakDuration), CircuitBreakerBreakDuration, MinimumBreakerDuration, OneDay);
        if (TimeProvider is null)
        {
            errors.Add(Error(nameof(TimeProvider), "must not be null"));
        }
    }

    /// <summary>A validation message that names the options type and the property.</summary>
    private protected string Error(string property, string problem) => $"{GetType().Name}.{property} {problem}.";

    private void CheckRange(List<string> errors, string property, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add(Error(property, $"must be between {min} and {max} (was {value})"));
        }
    }
}
