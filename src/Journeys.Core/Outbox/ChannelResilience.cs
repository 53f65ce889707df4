using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.RateLimiting;
using Journeys.Delivery;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Retry;
using Polly.Timeout;

namespace Journeys.Outbox;

/// <summary>One channel's resilience: the Polly <see cref="ResiliencePipeline{T}"/> the engine builds from its
/// <see cref="ChannelDeliveryOptions"/> — retry (outermost: jittered exponential backoff, the receiver's
/// <see cref="DeliveryResult.RetryAfter"/>, attempts counted across restarts), circuit breaker, rate limit, attempt
/// timeout — around one <see cref="IChannel.SendAsync"/> call per attempt. Every wait goes through the engine's
/// <see cref="TimeProvider"/>. Not the per-event hot path: a send waits on a network, so it allocates for clarity.</summary>
internal sealed class ChannelResilience : IAsyncDisposable
{
    private static readonly ResiliencePropertyKey<Delivery> DeliveryKey = new("journeys.delivery");

    private readonly IChannel _channel;
    private readonly ResiliencePipeline<DeliveryResult> _pipeline;
    private readonly PermitBucket? _bucket;
    private readonly int _maxAttempts;
    private readonly TimeSpan _maxDelay;
    private readonly TimeSpan? _attemptTimeout;
    private readonly Action<OutboundMessage, int> _retrying;

    /// <param name="channel">The channel every attempt calls.</param>
    /// <param name="options">Validated options, read once here.</param>
    /// <param name="time">The engine's clock.</param>
    /// <param name="waiters">How many attempts may wait for a rate-limit permit at once (the lane's strands).</param>
    /// <param name="retrying">Called with a message and its attempt number when that attempt failed and another will
    /// follow, before the backoff.</param>
    public ChannelResilience(IChannel channel, ChannelDeliveryOptions options, TimeProvider time, int waiters, Action<OutboundMessage, int> retrying)
    {
        _channel = channel;
        _maxAttempts = options.MaxAttempts;
        _maxDelay = options.MaxDelay;
        _attemptTimeout = options.AttemptTimeout;
        _retrying = retrying;
        var builder = new ResiliencePipelineBuilder<DeliveryResult> { Name = "journeys.delivery", InstanceName = channel.Name, TimeProvider = time };
        if (options.MaxAttempts > 1)
        {
            var retry = new RetryStrategyOptions<DeliveryResult>
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Context, args.Outcome, args.AttemptNumber)),
                DelayGenerator = args => ValueTask.FromResult(AskedWait(args.Outcome)),
                OnRetry = args =>
                {
                    var delivery = args.Context.Properties.GetValue(DeliveryKey, null!);
                    var failed = delivery.Message.PreviousAttempts + args.AttemptNumber + 1;
                    delivery.Attempt = failed + 1;
                    _retrying(delivery.Message, failed); // recorded before the wait, so a restart meanwhile goes on from it
                    return ValueTask.CompletedTask;
                },
            };
            if (options.Randomizer is { } randomizer)
            {
                retry.Randomizer = randomizer;
            }

            builder.AddRetry(retry);
        }

        if (options.CircuitBreaker)
        {
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<DeliveryResult>
            {
                FailureRatio = options.CircuitBreakerFailureRatio,
                MinimumThroughput = options.CircuitBreakerMinimumThroughput,
                SamplingDuration = options.CircuitBreakerSamplingDuration,
                BreakDuration = options.CircuitBreakerBreakDuration,
                ShouldHandle = args => ValueTask.FromResult(IsFailure(args.Context, args.Outcome)),
            });
        }

        if (options.PermitsPerSecond is { } permits)
        {
            _bucket = new PermitBucket(permits, waiters, time);
            builder.AddRateLimiter(new RateLimiterStrategyOptions { RateLimiter = args => _bucket.AcquireAsync(args.Context.CancellationToken) });
        }

        if (options.AttemptTimeout is { } timeout)
        {
            builder.AddTimeout(timeout);
        }

        _pipeline = builder.Build();
    }

    /// <summary>Delivers one message through the pipeline: its attempts, their waits, and the last outcome as a result.</summary>
    /// <param name="message">The message.</param>
    /// <param name="stopping">Cancelled when the engine gives up delivering (a stop's token or its drain deadline): the
    /// attempt under way is cancelled and no other follows.</param>
    /// <returns>The final result and the exception of the last attempt, if it threw; or <c>Abandoned</c> when
    /// <paramref name="stopping"/> ended the delivery before it ended (the message stays in the store's outbox).</returns>
    public async ValueTask<(DeliveryResult Result, Exception? Exception, bool Abandoned)> DeliverAsync(OutboundMessage message, CancellationToken stopping)
    {
        var delivery = new Delivery(message);
        var context = ResilienceContextPool.Shared.Get(stopping);
        try
        {
            context.Properties.Set(DeliveryKey, delivery);
            var outcome = await _pipeline.ExecuteOutcomeAsync(static (ctx, state) => state.Owner.AttemptAsync(ctx, state.Delivery), context, (Owner: this, Delivery: delivery))
                .ConfigureAwait(false);
            return Final(outcome, delivery, stopping);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_bucket is not null)
        {
            await _bucket.DisposeAsync().ConfigureAwait(false);
        }
    }

    private (DeliveryResult Result, Exception? Exception, bool Abandoned) Final(Outcome<DeliveryResult> outcome, Delivery delivery, CancellationToken stopping)
    {
        switch (outcome.Exception)
        {
            case null:
                var result = outcome.Result;
                if (result.Status == DeliveryStatus.RetryableFailure && result.RetryAfter is { } asked && asked > _maxDelay && delivery.Attempt < _maxAttempts)
                {
                    result = result with { Reason = $"{result.Reason}; the receiver asked to wait {asked}, longer than MaxDelay {_maxDelay}" };
                }

                return (result, null, false);
            case OperationCanceledException when stopping.IsCancellationRequested:
                return (default, null, true);
            case TimeoutRejectedException e:
                return (DeliveryResult.Retry($"timed out: no answer within {_attemptTimeout}"), e, false);
            case BrokenCircuitException e:
                var reason = "circuit open after repeated failures";
                return (e.RetryAfter is { } wait ? DeliveryResult.Retry($"{reason}; attempts resume in {wait}", wait) : DeliveryResult.Retry(reason), e, false);
            case var e:
                return (DeliveryResult.Retry(e.Message), e, false); // throwing counts as retryable
        }
    }

    /// <summary>One attempt: the channel's send with the attempt's token (cancelled by the stop, the deadline or the
    /// attempt timeout), under one span.</summary>
    private async ValueTask<Outcome<DeliveryResult>> AttemptAsync(ResilienceContext context, Delivery delivery)
    {
        var message = delivery.Message;
        var token = context.CancellationToken;
        // One span per attempt, current while the channel sends, so the channel's own spans (an HTTP call) nest under it.
        using var activity = Telemetry.JourneysMetrics.ActivitySource.StartActivity("journeys.deliver");
        activity?.SetTag("journeys.channel", message.Channel).SetTag("journeys.journey", message.JourneyId)
            .SetTag("journeys.step", message.Step).SetTag("journeys.attempt", delivery.Attempt);
        try
        {
            token.ThrowIfCancellationRequested();
            var send = _channel.SendAsync(message, token);
            // A channel that ignores its token is not waited for past a timeout or a stop.
            var result = send.IsCompleted || !token.CanBeCanceled ? await send.ConfigureAwait(false) : await send.AsTask().WaitAsync(token).ConfigureAwait(false);
            if (result.Status != DeliveryStatus.Delivered)
            {
                activity?.SetStatus(ActivityStatusCode.Error, result.Reason);
            }

            return Outcome.FromResult(result);
        }
        catch (Exception ex)
        {
            activity?.AddException(ex);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            return Outcome.FromException<DeliveryResult>(ex);
        }
    }

    /// <summary>Retryable results and exceptions — not permanent failures, not the engine's own stop.</summary>
    private static bool IsFailure(ResilienceContext context, Outcome<DeliveryResult> outcome) =>
        outcome.Exception is { } e
            ? !(e is OperationCanceledException && context.CancellationToken.IsCancellationRequested)
            : outcome.Result.Status == DeliveryStatus.RetryableFailure;

    /// <summary>Another attempt follows a failure while attempts remain (those of earlier engines counted) and the
    /// receiver did not ask for a wait longer than MaxDelay.</summary>
    private bool ShouldRetry(ResilienceContext context, Outcome<DeliveryResult> outcome, int retryAttempt)
    {
        var delivery = context.Properties.GetValue(DeliveryKey, null!);
        return delivery.Message.PreviousAttempts + retryAttempt + 1 < _maxAttempts && IsFailure(context, outcome) && !(AskedWait(outcome) > _maxDelay);
    }

    /// <summary>The wait the receiver asked for (<see cref="DeliveryResult.RetryAfter"/>) or an open circuit's remaining
    /// break; null for the backoff's own jittered delay.</summary>
    private static TimeSpan? AskedWait(Outcome<DeliveryResult> outcome) => outcome.Exception switch
    {
        null => outcome.Result.RetryAfter,
        BrokenCircuitException e => e.RetryAfter,
        _ => null,
    };

    /// <summary>One message's delivery across its attempts.</summary>
    private sealed class Delivery(OutboundMessage message)
    {
        public OutboundMessage Message { get; } = message;

        /// <summary>The number of the attempt under way, counting those of earlier engines.</summary>
        public int Attempt { get; set; } = message.PreviousAttempts + 1;
    }

    /// <summary>A bucket of <c>permits</c> tokens refilled to full at each second of the engine's clock: at most that
    /// many attempts start between two refills. Built on a <see cref="ConcurrencyLimiter"/> whose leases are kept until
    /// the refill, because the replenishing limiters (<see cref="TokenBucketRateLimiter"/>) measure the time elapsed with
    /// the wall clock, so fake time would never refill them; Polly's rate-limiter strategy takes it as its limiter.</summary>
    private sealed class PermitBucket : IAsyncDisposable
    {
        private readonly ConcurrencyLimiter _limiter;
        private readonly ConcurrentQueue<RateLimitLease> _spent = new();
        private readonly ITimer _refill;

        public PermitBucket(int permits, int waiters, TimeProvider time)
        {
            // As many waiters as the lane has strands, so every strand's request is granted in the end.
            _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = permits,
                QueueLimit = waiters,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
            _refill = time.CreateTimer(static b => ((PermitBucket)b!).Refill(), this, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        }

        public async ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken)
        {
            var lease = await _limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
            if (!lease.IsAcquired)
            {
                return lease; // Polly rejects the attempt (never, with a waiter per strand)
            }

            _spent.Enqueue(lease); // returned at the next refill, not when the attempt ends
            return SpentLease.Instance;
        }

        public async ValueTask DisposeAsync()
        {
            await _refill.DisposeAsync().ConfigureAwait(false);
            Refill();
            _limiter.Dispose();
        }

        private void Refill()
        {
            while (_spent.TryDequeue(out var lease))
            {
                lease.Dispose();
            }
        }
    }

    /// <summary>What Polly holds for an acquired permit: disposing it returns nothing, the refill does.</summary>
    private sealed class SpentLease : RateLimitLease
    {
        public static SpentLease Instance { get; } = new();

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
