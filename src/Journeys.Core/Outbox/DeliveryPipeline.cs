using System.Collections.Concurrent;
using System.Threading.Channels;
using System.Threading.RateLimiting;
using Journeys.Delivery;
using Journeys.Telemetry;

namespace Journeys.Outbox;

/// <summary>Carries messages from the partitions to the channel adapters: one lane per registered channel (and the
/// catch-all <c>*</c>), each <see cref="ChannelDeliveryOptions.MaxConcurrency"/> strands (a bounded queue and its one
/// consumer; a customer's messages always take the same strand, so they reach the channel in the order they were
/// decided, retries included), an optional token bucket, and retries with exponential backoff. Every wait — backoff
/// and rate — goes through the engine's <see cref="TimeProvider"/>, so tests run it in fake time.
/// <para>Each message ends exactly once through the <c>ended</c> callback: delivered, or failed with the last reason
/// (a permanent failure at once, a retryable one or an exception after <see cref="ChannelDeliveryOptions.MaxAttempts"/>).
/// </para></summary>
internal sealed class DeliveryPipeline
{
    private readonly Dictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private readonly Lane? _any;
    private readonly TimeProvider _time;
    private readonly Action<OutboundMessage, DeliveryResult, Exception?> _ended;
    private readonly Action<OutboundMessage, int>? _retrying;
    private readonly Action<Exception> _onError;
    private readonly Lock _epochLock = new();
    private Epoch _open = new();
    private Task _sealed = Task.CompletedTask;
    private Task[] _consumers = [];

    /// <param name="channels">The channels and how to deliver on each.</param>
    /// <param name="time">The clock backoff and rate limits wait on.</param>
    /// <param name="ended">Called once per message with its final outcome (and the exception, when the last attempt threw).</param>
    /// <param name="onError">Called when <paramref name="ended"/> or <paramref name="retrying"/> itself throws.</param>
    /// <param name="retrying">Called with a message and its attempt number when that attempt failed and another will
    /// follow, before the backoff: a partition with a store records the count, so an engine restarted meanwhile goes on
    /// from it.</param>
    public DeliveryPipeline(IEnumerable<(IChannel Channel, ChannelDeliveryOptions Options)> channels, TimeProvider time,
        Action<OutboundMessage, DeliveryResult, Exception?> ended, Action<Exception> onError, Action<OutboundMessage, int>? retrying = null)
    {
        _time = time;
        _ended = ended;
        _retrying = retrying;
        _onError = onError;
        foreach (var (channel, options) in channels)
        {
            var lane = new Lane(channel, options, time);
            if (channel.Name == RecordingChannel.AnyName)
            {
                _any = lane;
            }
            else
            {
                _lanes[channel.Name] = lane;
            }
        }
    }

    /// <summary>Messages waiting in all lanes (not those being sent or waiting for a retry).</summary>
    public int QueueDepth => Lanes.Sum(l => l.Strands.Sum(q => q.Reader.Count));

    private IEnumerable<Lane> Lanes => _any is null ? _lanes.Values : _lanes.Values.Append(_any);

    public void Start()
    {
        _consumers = Lanes.SelectMany(lane => lane.Strands.Select(strand => Task.Run(() => ConsumeAsync(lane, strand)))).ToArray();
    }

    /// <summary>Queues a message on its channel's lane; waits (asynchronously) while the lane is full.</summary>
    /// <param name="message">The message.</param>
    /// <param name="ended">Completed when the message has ended (delivered or failed for good): a partition with a store
    /// then removes the message from the store's outbox in its next batch.</param>
    /// <param name="cancellationToken">Cancels waiting for room.</param>
    public ValueTask EnqueueAsync(OutboundMessage message, TaskCompletionSource? ended = null, CancellationToken cancellationToken = default)
    {
        if (!_lanes.TryGetValue(message.Channel, out var lane) && (lane = _any) is null)
        {
            End(message, DeliveryResult.Permanent($"no channel named '{message.Channel}' is registered"), null);
            ended?.TrySetResult();
            return ValueTask.CompletedTask;
        }

        var entry = new Entry(message, Track(), ended);
        var strand = lane.StrandOf(message.CustomerId);
        return strand.Writer.TryWrite(entry) ? ValueTask.CompletedTask : WriteAsync(strand, entry, cancellationToken);
    }

    /// <summary>Completes when every message queued before the call has ended, retries included.</summary>
    public Task WhenDeliveredAsync(CancellationToken cancellationToken = default)
    {
        Epoch closing;
        Task all;
        lock (_epochLock)
        {
            closing = _open;
            _open = new Epoch();
            _sealed = all = Task.WhenAll(_sealed, closing.Done.Task);
        }

        closing.Release(); // the hold every epoch starts with
        return all.WaitAsync(cancellationToken);
    }

    /// <summary>Takes no more messages, delivers everything already queued (retries and rate limits still wait on the
    /// clock), then releases the lanes' timers.</summary>
    public async Task StopAsync()
    {
        foreach (var lane in Lanes)
        {
            foreach (var strand in lane.Strands)
            {
                strand.Writer.TryComplete();
            }
        }

        await Task.WhenAll(_consumers).ConfigureAwait(false);
        foreach (var lane in Lanes)
        {
            await lane.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async ValueTask WriteAsync(Channel<Entry> strand, Entry entry, CancellationToken cancellationToken)
    {
        try
        {
            await strand.Writer.WriteAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            entry.Epoch.Release(); // never queued: nothing to wait for
            entry.Ended?.TrySetResult();
            throw;
        }
    }

    private Epoch Track()
    {
        lock (_epochLock)
        {
            Interlocked.Increment(ref _open.Pending);
            return _open;
        }
    }

    private async Task ConsumeAsync(Lane lane, Channel<Entry> strand)
    {
        // One consumer per strand, and a message's retries wait here: the strand's next message (maybe the same
        // customer's) is not sent before this one has ended.
        await foreach (var entry in strand.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await DeliverAsync(lane, entry.Message).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _onError(ex); // one bad message never stops the lane
            }
            finally
            {
                entry.Epoch.Release();
                entry.Ended?.TrySetResult();
            }
        }
    }

    private async Task DeliverAsync(Lane lane, OutboundMessage message)
    {
        // A message delivered again after a restart goes on from the attempts earlier engines recorded (at least one more).
        for (var attempt = message.PreviousAttempts + 1; ; attempt++)
        {
            if (lane.Bucket is { } bucket)
            {
                await bucket.TakeAsync().ConfigureAwait(false);
            }

            DeliveryResult result;
            Exception? exception = null;
            // One span per attempt, current while the channel sends, so the channel's own spans (an HTTP call) nest under it.
            using (var activity = JourneysMetrics.ActivitySource.StartActivity("journeys.deliver"))
            {
                activity?.SetTag("journeys.channel", message.Channel).SetTag("journeys.journey", message.JourneyId)
                    .SetTag("journeys.step", message.Step).SetTag("journeys.attempt", attempt);
                try
                {
                    result = await lane.Channel.SendAsync(message, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    (result, exception) = (DeliveryResult.Retry(ex.Message), ex); // throwing counts as retryable
                    activity?.AddException(ex);
                }

                if (result.Status != DeliveryStatus.Delivered)
                {
                    activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, result.Reason);
                }
            }

            if (result.Status != DeliveryStatus.RetryableFailure || attempt >= lane.MaxAttempts)
            {
                End(message, result, exception);
                return;
            }

            var wait = lane.Backoff(attempt);
            if (result.RetryAfter is { } asked)
            {
                if (asked > lane.MaxDelay)
                {
                    End(message, result with { Reason = $"{result.Reason}; the receiver asked to wait {asked}, longer than MaxDelay {lane.MaxDelay}" }, exception);
                    return;
                }

                wait = asked > wait ? asked : wait; // never sooner than the receiver asked
            }

            try
            {
                _retrying?.Invoke(message, attempt); // another attempt will follow: recorded before the wait
            }
            catch (Exception ex)
            {
                _onError(ex); // an observer that throws must not stop the lane
            }

            await Task.Delay(wait, _time).ConfigureAwait(false);
        }
    }

    private void End(OutboundMessage message, DeliveryResult result, Exception? exception)
    {
        try
        {
            _ended(message, result, exception);
        }
        catch (Exception ex)
        {
            _onError(ex); // an observer that throws must not stop the lane
        }
    }

    /// <summary>Which of <paramref name="strands"/> strands carries <paramref name="customerId"/>'s messages: the same in
    /// every process (a fixed hash, not the randomised string hash), so runs are repeatable. XxHash32, where
    /// <c>JourneyEngine.PartitionOf</c> uses XxHash3: with the same hash, a partition's customers would share few strands.</summary>
    internal static int StrandOf(string customerId, int strands) =>
        strands == 1 ? 0 : (int)(System.IO.Hashing.XxHash32.HashToUInt32(System.Runtime.InteropServices.MemoryMarshal.AsBytes(customerId.AsSpan())) % (uint)strands);

    private readonly record struct Entry(OutboundMessage Message, Epoch Epoch, TaskCompletionSource? Ended);

    /// <summary>The messages queued between two <see cref="WhenDeliveredAsync"/> calls: a drain waits for its epoch and
    /// every earlier one, not for messages queued after it began (which a busy engine never runs out of).</summary>
    private sealed class Epoch
    {
        public int Pending = 1; // held until the epoch is sealed, so it cannot end while still open

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release()
        {
            if (Interlocked.Decrement(ref Pending) == 0)
            {
                Done.TrySetResult();
            }
        }
    }

    /// <summary>One channel's queue, settings (copied at build, so later changes to the options have no effect) and
    /// token bucket.</summary>
    private sealed class Lane : IAsyncDisposable
    {
        private readonly long _baseTicks;
        private readonly long _maxTicks;

        public Lane(IChannel channel, ChannelDeliveryOptions options, TimeProvider time)
        {
            Channel = channel;
            MaxConcurrency = options.MaxConcurrency;
            MaxAttempts = options.MaxAttempts;
            _baseTicks = options.BaseDelay.Ticks;
            _maxTicks = options.MaxDelay.Ticks;
            // The lane's capacity is shared evenly by its strands (each holds at least one message).
            var perStrand = Math.Max(1, (options.QueueCapacity + MaxConcurrency - 1) / MaxConcurrency);
            Strands = Enumerable.Range(0, MaxConcurrency).Select(_ => System.Threading.Channels.Channel.CreateBounded<Entry>(
                new BoundedChannelOptions(perStrand) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait })).ToArray();
            if (options.PermitsPerSecond is { } permits)
            {
                Bucket = new TokenBucket(permits, MaxConcurrency, time);
            }
        }

        public IChannel Channel { get; }

        public int MaxConcurrency { get; }

        public int MaxAttempts { get; }

        public TimeSpan MaxDelay => TimeSpan.FromTicks(_maxTicks);

        /// <summary>The lane's queues, one consumer each.</summary>
        public Channel<Entry>[] Strands { get; }

        /// <summary>The strand a customer's messages take: always the same one, so they stay in order.</summary>
        public Channel<Entry> StrandOf(string customerId) => Strands[DeliveryPipeline.StrandOf(customerId, Strands.Length)];

        public TokenBucket? Bucket { get; }

        /// <summary>The wait after attempt <paramref name="attempt"/> failed: base × 2^(attempt−1), at most the maximum.</summary>
        public TimeSpan Backoff(int attempt) =>
            TimeSpan.FromTicks((long)Math.Min(_maxTicks, _baseTicks * Math.Pow(2, attempt - 1)));

        public async ValueTask DisposeAsync()
        {
            if (Bucket is not null)
            {
                await Bucket.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>A bucket of <c>permits</c> tokens refilled to full at each second of the engine's clock: at most that
    /// many sends start between two refills. Built on a <see cref="ConcurrencyLimiter"/> whose leases are kept until the
    /// refill, because the replenishing limiters (<see cref="TokenBucketRateLimiter"/>, <see cref="FixedWindowRateLimiter"/>)
    /// measure the time elapsed with the wall clock even when replenished by hand, so fake time would never refill them.</summary>
    private sealed class TokenBucket : IAsyncDisposable
    {
        private readonly ConcurrencyLimiter _limiter;
        private readonly ConcurrentQueue<RateLimitLease> _spent = new();
        private readonly ITimer _refill;

        public TokenBucket(int permits, int waiters, TimeProvider time)
        {
            // As many waiters as the lane has consumers, so every consumer's request is granted in the end.
            _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = permits,
                QueueLimit = waiters,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
            _refill = time.CreateTimer(static b => ((TokenBucket)b!).Refill(), this, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        }

        public async ValueTask TakeAsync()
        {
            var lease = await _limiter.AcquireAsync(1).ConfigureAwait(false);
            _spent.Enqueue(lease); // returned at the next refill, not when the send ends
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
}
