using System.Threading.Channels;
using Journeys.Delivery;

namespace Journeys.Outbox;

/// <summary>Carries messages from the partitions to the channel adapters: one lane per registered channel (and the
/// catch-all <c>*</c>), each <see cref="ChannelDeliveryOptions.MaxConcurrency"/> strands (a bounded queue and its one
/// consumer; a customer's messages always take the same strand, so they reach the channel in the order they were
/// decided, retries included), and the channel's <see cref="ChannelResilience"/> pipeline (retries, circuit breaker,
/// rate limit, attempt timeout). Every wait goes through the engine's <see cref="TimeProvider"/>, so tests run it in
/// fake time.
/// <para>Each message ends exactly once through the <c>ended</c> callback: delivered, or failed with the last reason
/// (a permanent failure at once, a retryable one or an exception after <see cref="ChannelDeliveryOptions.MaxAttempts"/>)
/// — unless <see cref="Abort"/> comes first: then the attempt under way is cancelled, nothing more is sent, and the
/// message is abandoned without an end (a store keeps it in its outbox for the next start).</para></summary>
internal sealed class DeliveryPipeline
{
    private readonly Dictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Lane> _actionLanes = new(StringComparer.Ordinal); // calls (CallMessages), by action
    private readonly Lane? _any;
    private readonly Action<OutboundMessage, DeliveryResult, Exception?> _ended;
    private readonly Action<OutboundMessage, int>? _retrying;
    private readonly Action<Exception> _onError;
    private readonly CancellationTokenSource _stopping = new();
    private int _abandoned;
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
    /// <param name="actions">The actions steps call and how to deliver each call: a lane of its own per action, as a
    /// channel has (no catch-all serves calls).</param>
    public DeliveryPipeline(IEnumerable<(IChannel Channel, ChannelDeliveryOptions Options)> channels, TimeProvider time,
        Action<OutboundMessage, DeliveryResult, Exception?> ended, Action<Exception> onError, Action<OutboundMessage, int>? retrying = null,
        IEnumerable<(IJourneyAction Action, ChannelDeliveryOptions Options)>? actions = null)
    {
        foreach (var (action, options) in actions ?? [])
        {
            _actionLanes[action.Name] = new Lane(CallMessages.AsChannel(action), options, time, Retrying);
        }

        _ended = ended;
        _retrying = retrying;
        _onError = onError;
        foreach (var (channel, options) in channels)
        {
            var lane = new Lane(channel, options, time, Retrying);
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

    /// <summary>How many messages <see cref="Abort"/> left undelivered (cancelled mid-send, waiting for a retry, or queued).</summary>
    public int Abandoned => Volatile.Read(ref _abandoned);

    /// <summary>Messages waiting in all lanes (not those being sent or waiting for a retry).</summary>
    public int QueueDepth => Lanes.Sum(l => l.Strands.Sum(q => q.Reader.Count));

    /// <summary>Messages waiting per channel lane (the lane that takes any channel is named <c>*</c>), for the
    /// <c>journeys.outbox.depth</c> gauge; read on collection only.</summary>
    public IEnumerable<System.Diagnostics.Metrics.Measurement<int>> QueueDepths() =>
        Lanes.Select(l => new System.Diagnostics.Metrics.Measurement<int>(l.Strands.Sum(q => q.Reader.Count), new KeyValuePair<string, object?>("channel", l.Name)));

    private IEnumerable<Lane> Lanes => _any is null ? _lanes.Values.Concat(_actionLanes.Values) : _lanes.Values.Concat(_actionLanes.Values).Append(_any);

    public void Start()
    {
        _consumers = Lanes.SelectMany(lane => lane.Strands.Select(strand => Task.Run(() => ConsumeAsync(lane, strand)))).ToArray();
    }

    /// <summary>Queues a message on its channel's lane; waits (asynchronously) while the lane is full.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels waiting for room.</param>
    /// <param name="ended">Completed when the message has left the pipeline: true when it ended (delivered or failed for
    /// good), and a partition with a store then removes it from the store's outbox in its next batch; false when
    /// <see cref="Abort"/> left it undelivered, so it stays there.</param>
    public ValueTask EnqueueAsync(OutboundMessage message, TaskCompletionSource<bool>? ended = null, CancellationToken cancellationToken = default)
    {
        var call = CallMessages.IsCall(message);
        Lane? lane;
        if (call ? !_actionLanes.TryGetValue(message.Channel, out lane) : !_lanes.TryGetValue(message.Channel, out lane) && (lane = _any) is null)
        {
            End(message, DeliveryResult.Permanent(call ? $"no action named '{message.Channel}' is registered" : $"no channel named '{message.Channel}' is registered"), null);
            ended?.TrySetResult(true);
            return ValueTask.CompletedTask;
        }

        var entry = new Entry(message, Track(), ended);
        var strand = lane!.StrandOf(message.CustomerId);
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

    /// <summary>Gives up delivering: cancels the token of every attempt under way (the channels see it), ends the waits
    /// for retries and permits, and abandons every message not yet ended, now and later. Safe to call more than once and
    /// from any thread.</summary>
    public void Abort()
    {
        try
        {
            _stopping.Cancel();
        }
        catch (AggregateException ex)
        {
            _onError(ex); // a channel's cancellation callback threw: the others were still cancelled
        }
    }

    /// <summary>Takes no more messages, delivers everything already queued (retries and rate limits still wait on the
    /// clock) unless <see cref="Abort"/> is called meanwhile, then releases the lanes' timers.</summary>
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
            entry.Ended?.TrySetResult(false); // nor sent: it stays in the store's outbox
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
            var ended = false;
            try
            {
                ended = await DeliverAsync(lane, entry.Message).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                ended = true;
                _onError(ex); // one bad message never stops the lane
            }
            finally
            {
                entry.Epoch.Release();
                entry.Ended?.TrySetResult(ended);
            }
        }
    }

    // Keys of messages handed over and then taken back (a customer erased) that the lanes must skip.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _cancelled = new(StringComparer.Ordinal);

    /// <summary>The message with this idempotency key, if a lane has not started on it yet, is skipped: ended without a
    /// channel call, no outcome reported. A message whose delivery is under way or over is not affected.</summary>
    public void Cancel(string key) => _cancelled.TryAdd(key, 0);

    /// <summary>Delivers one message through its lane's pipeline; false when <see cref="Abort"/> left it undelivered.</summary>
    private async Task<bool> DeliverAsync(Lane lane, OutboundMessage message)
    {
        if (!_cancelled.IsEmpty && _cancelled.TryRemove(message.IdempotencyKey, out _))
        {
            return true; // taken back: ended, never sent
        }

        if (!_stopping.IsCancellationRequested)
        {
            var (result, exception, abandoned) = await lane.Resilience.DeliverAsync(message, _stopping.Token).ConfigureAwait(false);
            if (!abandoned)
            {
                End(message, result, exception);
                return true;
            }
        }

        Interlocked.Increment(ref _abandoned);
        return false;
    }

    /// <summary>An attempt failed and another follows: the partition records the count (an observer that throws must not
    /// stop the lane).</summary>
    private void Retrying(OutboundMessage message, int attempt)
    {
        try
        {
            _retrying?.Invoke(message, attempt);
        }
        catch (Exception ex)
        {
            _onError(ex);
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

    private readonly record struct Entry(OutboundMessage Message, Epoch Epoch, TaskCompletionSource<bool>? Ended);

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

    /// <summary>One channel's strands and resilience pipeline (its settings copied at build, so later changes to the
    /// options have no effect).</summary>
    private sealed class Lane : IAsyncDisposable
    {
        public Lane(IChannel channel, ChannelDeliveryOptions options, TimeProvider time, Action<OutboundMessage, int> retrying)
        {
            var concurrency = options.MaxConcurrency;
            // The lane's capacity is shared evenly by its strands (each holds at least one message).
            var perStrand = Math.Max(1, (options.QueueCapacity + concurrency - 1) / concurrency);
            Strands = Enumerable.Range(0, concurrency).Select(_ => System.Threading.Channels.Channel.CreateBounded<Entry>(
                new BoundedChannelOptions(perStrand) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait })).ToArray();
            Resilience = new ChannelResilience(channel, options, time, waiters: concurrency, retrying);
            Name = channel.Name;
        }

        /// <summary>The channel's name.</summary>
        public string Name { get; }

        /// <summary>The lane's queues, one consumer each.</summary>
        public Channel<Entry>[] Strands { get; }

        public ChannelResilience Resilience { get; }

        /// <summary>The strand a customer's messages take: always the same one, so they stay in order.</summary>
        public Channel<Entry> StrandOf(string customerId) => Strands[DeliveryPipeline.StrandOf(customerId, Strands.Length)];

        public ValueTask DisposeAsync() => Resilience.DisposeAsync();
    }
}
