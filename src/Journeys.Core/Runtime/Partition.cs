using System.Threading.Channels;
using Journeys.Delivery;
using Journeys.Diagnostics;

namespace Journeys.Runtime;

/// <summary>One partition: a bounded queue, the worker that alone owns its <see cref="PartitionProcessor"/>, and a
/// <see cref="TimeProvider"/> timer set to the earliest due journey timer. Messages the processor sends go to an outbox
/// that the worker hands to the delivery lanes after each item, awaiting a full lane: the worker stalls without blocking
/// a thread, its queue fills, and publishers wait (back-pressure from the slowest channel to <c>PublishAsync</c>).</summary>
internal sealed class Partition : IAsyncDisposable
{
    private readonly Channel<WorkItem> _queue;
    private readonly TimeProvider _time;
    private readonly Action<Exception> _onError;
    private readonly ITimer _timer;
    private readonly Persistence.IJourneyStore? _store;
    private readonly JourneysMetrics _metrics;
    private readonly List<OutboundMessage> _outbox = [];
    private readonly Func<OutboundMessage, TaskCompletionSource?, ValueTask> _deliver;
    private readonly List<Task> _unsaved = []; // with a store: deliveries that must end before the state is saved
    private Task? _worker;

    // createProcessor makes the processor given the outbox it sends to; deliver hands one message to a lane and may wait.
    public Partition(Func<Action<OutboundMessage>, PartitionProcessor> createProcessor, Func<OutboundMessage, TaskCompletionSource?, ValueTask> deliver, TimeProvider time,
        int capacity, Action<Exception> onError, Persistence.IJourneyStore? store, JourneysMetrics metrics)
    {
        _store = store;
        _metrics = metrics;
        _deliver = deliver;
        Processor = createProcessor(_outbox.Add);
        _time = time;
        _onError = onError;
        _queue = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _timer = time.CreateTimer(static state => ((Partition)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public PartitionProcessor Processor { get; }

    public int QueueDepth => _queue.Reader.CanCount ? _queue.Reader.Count : 0;

    public void Start() => _worker ??= Task.Run(RunAsync);

    public ValueTask EnqueueAsync(WorkItem item, CancellationToken cancellationToken) =>
        _queue.Writer.TryWrite(item) ? ValueTask.CompletedTask : _queue.Writer.WriteAsync(item, cancellationToken);

    public async Task BarrierAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await EnqueueAsync(new WorkItem(WorkKind.Barrier, done, 0), cancellationToken).ConfigureAwait(false);
        var worker = _worker ?? done.Task;

        // A worker that stopped (it never should: every item is guarded) would leave the drain waiting forever.
        if (await Task.WhenAny(done.Task, worker).WaitAsync(cancellationToken).ConfigureAwait(false) != done.Task)
        {
            throw new InvalidOperationException("A partition worker stopped before the drain completed.", worker.Exception?.GetBaseException());
        }

        await done.Task.ConfigureAwait(false); // rethrows a store failure the barrier reported
    }

    private void OnTimer() =>
        _queue.Writer.TryWrite(new WorkItem(WorkKind.Tick, null, _time.GetUtcNow().UtcTicks)); // a full queue will advance time anyway

    private async Task RunAsync()
    {
        Rearm(); // customers restored from a store may have timers already
        await foreach (var item in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                switch (item.Kind)
                {
                    case WorkKind.Event:
                        _metrics.EventProcessed(Processor.Process((CustomerEvent)item.Payload!, item.NowTicks));
                        break;
                    case WorkKind.Identify:
                        Processor.Identify((CustomerProfile)item.Payload!, item.NowTicks);
                        break;
                    case WorkKind.Tick:
                        Processor.AdvanceTo(item.NowTicks);
                        break;
                    case WorkKind.Barrier:
                        // A drain returns only once everything before it is saved, or fails with the store's error.
                        var barrier = (TaskCompletionSource)item.Payload!;
                        await DeliveriesEndedAsync().ConfigureAwait(false);
                        var failure = Flush();
                        Rearm(); // the items before may have set timers: arm them before the caller moves time on
                        if (failure is not null)
                        {
                            barrier.TrySetException(failure);
                        }
                        else
                        {
                            barrier.TrySetResult();
                        }

                        continue;
                }
            }
            catch (Exception ex)
            {
                if (item.Kind == WorkKind.Event)
                {
                    _metrics.EventNotProcessed();
                }

                _onError(ex); // one bad item never stops the partition
            }

            if (_outbox.Count > 0)
            {
                await DeliverOutboxAsync().ConfigureAwait(false);
            }

            if (_queue.Reader.Count == 0)
            {
                await DeliveriesEndedAsync().ConfigureAwait(false);
                ReportFailure(Flush());
                Rearm();
            }
        }

        await DeliveriesEndedAsync().ConfigureAwait(false);
        ReportFailure(Flush());
    }

    /// <summary>With a store, the state that records a send is saved only after the send ended: a crash may repeat a
    /// delivery (same idempotency key) but never lose one. Without a store there is nothing to wait for.</summary>
    private async ValueTask DeliveriesEndedAsync()
    {
        if (_unsaved.Count > 0)
        {
            await Task.WhenAll(_unsaved).ConfigureAwait(false);
            _unsaved.Clear();
        }
    }

    private async ValueTask DeliverOutboxAsync()
    {
        foreach (var message in _outbox)
        {
            try
            {
                TaskCompletionSource? ended = null;
                if (_store is not null)
                {
                    ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _unsaved.Add(ended.Task);
                }

                await _deliver(message, ended).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _onError(ex);
            }
        }

        _outbox.Clear();
    }

    /// <summary>Hands the customers changed since the last flush to the store (after each batch of queued work). When
    /// the store fails, those customers stay changed, so the next flush saves them again (as they are by then).</summary>
    private Exception? Flush()
    {
        if (_store is null)
        {
            return null;
        }

        List<Persistence.CustomerSnapshot>? changes = null;
        try
        {
            changes = Processor.TakeChanges();
            if (changes.Count > 0)
            {
                _store.SaveChanges(changes);
            }

            return null;
        }
        catch (Exception ex)
        {
            if (changes is not null)
            {
                Processor.RetryChanges(changes);
            }

            return ex;
        }
    }

    private void ReportFailure(Exception? failure)
    {
        if (failure is not null)
        {
            _onError(failure);
        }
    }

    /// <summary>The longest wait a platform timer accepts (<c>uint.MaxValue - 1</c> ms, about 49.7 days; longer throws).
    /// A timer further away is armed for this long; when it fires with nothing due, it is armed again.</summary>
    private static readonly long MaxTimerWaitTicks = TimeSpan.FromMilliseconds(uint.MaxValue - 1).Ticks;

    private void Rearm()
    {
        if (Processor.NextDueTicks is not { } due)
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        var delay = TimeSpan.FromTicks(Math.Clamp(due - _time.GetUtcNow().UtcTicks, 0, MaxTimerWaitTicks));
        _timer.Change(delay, Timeout.InfiniteTimeSpan);
    }

    public async Task StopAsync()
    {
        _queue.Writer.TryComplete();
        if (_worker is not null)
        {
            await _worker.ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _timer.DisposeAsync().ConfigureAwait(false);
    }
}
