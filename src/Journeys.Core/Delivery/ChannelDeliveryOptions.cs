using Journeys.Engine;

namespace Journeys.Delivery;

/// <summary>How the engine delivers on one channel: its queue, concurrency, and the channel's resilience pipeline — retries
/// with jittered exponential backoff that honour <see cref="DeliveryResult.RetryAfter"/>, a circuit breaker, a rate limit
/// and a per-attempt timeout, one Polly pipeline per channel that the engine builds from these options. Pass it to
/// <see cref="JourneyEngineBuilder.AddChannel"/>; it is checked when the engine is built and read once there
/// (later changes have no effect). Channels make one attempt per <see cref="IChannel.SendAsync"/>: retrying, waiting and
/// breaking are the engine's.</summary>
/// <example><code>
/// builder.AddChannel(sms, new ChannelDeliveryOptions { MaxConcurrency = 2, PermitsPerSecond = 50, MaxAttempts = 5 });
/// </code></example>
public sealed class ChannelDeliveryOptions
{
    // Polly's own limits: a timeout of 10 ms to 1 day, a breaker's durations of 0.5 s to 1 day.
    private static readonly TimeSpan MinimumTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MinimumBreakerDuration = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan OneDay = TimeSpan.FromDays(1);

    /// <summary>How many sends may be in flight on the channel at once (default 4; at least 1). Each customer's messages
    /// keep their order whatever the value: the lane has this many strands, each sending one message at a time (its
    /// retries included), and a customer's messages always take the same strand.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>How many messages wait for the channel before the partitions that send on it wait too, and through them
    /// the publishers (default 1,024; at least 1), shared evenly by the lane's <see cref="MaxConcurrency"/> strands.</summary>
    public int QueueCapacity { get; set; } = 1024;

    /// <summary>How many times a message is tried, the first included, before it ends <c>failed</c> (default 3; at
    /// least 1). Retryable failures and exceptions are retried; permanent failures are not. With a store, the attempts of
    /// earlier engines count too (<see cref="OutboundMessage.PreviousAttempts"/>), a message delivered again after a
    /// restart getting one attempt at least.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The median wait before the first retry (default 1 s; zero to 1 day: zero retries at once). Later waits grow
    /// exponentially with jitter (Polly's decorrelated jitter: medians near 1, 2, 4... times this, each wait random
    /// between zero and about twice its median), so messages that failed together do not retry together. A receiver's
    /// <see cref="DeliveryResult.RetryAfter"/> replaces the wait.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two attempts (default 1 min; at least <see cref="BaseDelay"/>). A receiver that
    /// asks with <see cref="DeliveryResult.RetryAfter"/> for a longer wait is not retried: the message ends
    /// <c>failed</c> at once, its reason saying so.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The most sends started per second, attempts and retries alike (default null: unlimited; at least 1).
    /// Up to one second's worth may start at once.</summary>
    public int? PermitsPerSecond { get; set; }

    /// <summary>How long one attempt may take before the engine cancels the token it gave the channel and counts the
    /// attempt as a retryable failure (default 30 s; null: no limit; otherwise 10 ms to 1 day). A channel that ignores
    /// the token is no longer waited for.</summary>
    public TimeSpan? AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether the channel has a circuit breaker (default true). Retryable failures, exceptions and timeouts
    /// count as failures; permanent failures do not (the receiver answered). Once they make up
    /// <see cref="CircuitBreakerFailureRatio"/> of at least <see cref="CircuitBreakerMinimumThroughput"/> attempts within
    /// <see cref="CircuitBreakerSamplingDuration"/>, attempts fail at once, without calling the channel, for
    /// <see cref="CircuitBreakerBreakDuration"/>; a retry waits for the break to end, then one probe attempt decides
    /// whether the circuit closes.</summary>
    public bool CircuitBreaker { get; set; } = true;

    /// <summary>The share of failed attempts that opens the circuit (default 0.5; above 0, at most 1).</summary>
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>How many attempts the sampling window must hold before the ratio counts (default 10; at least 2).</summary>
    public int CircuitBreakerMinimumThroughput { get; set; } = 10;

    /// <summary>The window over which failures are counted (default 30 s; 0.5 s to 1 day).</summary>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit fails attempts before letting a probe through (default 30 s; 0.5 s to 1 day).</summary>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The random numbers (0 to 1) the backoff's jitter draws from; tests set a seeded source. Null: Polly's own.</summary>
    internal Func<double>? Randomizer { get; set; }

    /// <summary>Every wrong setting, as <c>AddChannel('name'): Property ...</c> lines for the builder's message.</summary>
    internal IEnumerable<string> Validate(string channel)
    {
        var at = $"AddChannel('{channel}'): ChannelDeliveryOptions";
        if (MaxConcurrency < 1)
        {
            yield return $"{at}.MaxConcurrency is {MaxConcurrency}; use 1 or more.";
        }

        if (QueueCapacity < 1)
        {
            yield return $"{at}.QueueCapacity is {QueueCapacity}; use 1 or more.";
        }

        if (MaxAttempts < 1)
        {
            yield return $"{at}.MaxAttempts is {MaxAttempts}; use 1 or more (1 means no retries).";
        }

        if (BaseDelay < TimeSpan.Zero || BaseDelay > OneDay)
        {
            yield return $"{at}.BaseDelay is {BaseDelay}; use zero to {OneDay}.";
        }

        if (MaxDelay < BaseDelay)
        {
            yield return $"{at}.MaxDelay is {MaxDelay}; use at least BaseDelay ({BaseDelay}).";
        }

        if (PermitsPerSecond < 1)
        {
            yield return $"{at}.PermitsPerSecond is {PermitsPerSecond}; use 1 or more, or null for no limit.";
        }

        if (AttemptTimeout is { } timeout && (timeout < MinimumTimeout || timeout > OneDay))
        {
            yield return $"{at}.AttemptTimeout is {timeout}; use {MinimumTimeout} to {OneDay}, or null for no limit.";
        }

        if (!CircuitBreaker)
        {
            yield break;
        }

        if (!(CircuitBreakerFailureRatio > 0 && CircuitBreakerFailureRatio <= 1))
        {
            yield return $"{at}.CircuitBreakerFailureRatio is {CircuitBreakerFailureRatio.ToString(System.Globalization.CultureInfo.InvariantCulture)}; use above 0 and at most 1.";
        }

        if (CircuitBreakerMinimumThroughput < 2)
        {
            yield return $"{at}.CircuitBreakerMinimumThroughput is {CircuitBreakerMinimumThroughput}; use 2 or more.";
        }

        if (CircuitBreakerSamplingDuration < MinimumBreakerDuration || CircuitBreakerSamplingDuration > OneDay)
        {
            yield return $"{at}.CircuitBreakerSamplingDuration is {CircuitBreakerSamplingDuration}; use {MinimumBreakerDuration} to {OneDay}.";
        }

        if (CircuitBreakerBreakDuration < MinimumBreakerDuration || CircuitBreakerBreakDuration > OneDay)
        {
            yield return $"{at}.CircuitBreakerBreakDuration is {CircuitBreakerBreakDuration}; use {MinimumBreakerDuration} to {OneDay}.";
        }
    }
}
