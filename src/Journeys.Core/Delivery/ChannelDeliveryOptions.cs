namespace Journeys.Delivery;

/// <summary>How the engine delivers on one channel: its queue, concurrency, rate and retries. Pass it to
/// <see cref="Journeys.Engine.JourneyEngineBuilder.AddChannel"/>; it is checked when the engine is built.</summary>
/// <example><code>
/// builder.AddChannel(sms, new ChannelDeliveryOptions { MaxConcurrency = 2, PermitsPerSecond = 50, MaxAttempts = 5 });
/// </code></example>
public sealed class ChannelDeliveryOptions
{
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

    /// <summary>The wait before the first retry, doubled for each one after (default 1 s; zero or more).</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two attempts (default 1 min; at least <see cref="BaseDelay"/>).</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The most sends started per second, attempts and retries alike (default null: unlimited; at least 1).
    /// Up to one second's worth may start at once.</summary>
    public int? PermitsPerSecond { get; set; }

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

        if (BaseDelay < TimeSpan.Zero)
        {
            yield return $"{at}.BaseDelay is {BaseDelay}; use zero or more.";
        }

        if (MaxDelay < BaseDelay)
        {
            yield return $"{at}.MaxDelay is {MaxDelay}; use at least BaseDelay ({BaseDelay}).";
        }

        if (PermitsPerSecond < 1)
        {
            yield return $"{at}.PermitsPerSecond is {PermitsPerSecond}; use 1 or more, or null for no limit.";
        }
    }
}
