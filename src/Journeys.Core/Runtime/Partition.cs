using System.Threading.Channels;

namespace Journeys.Runtime;

/// <summary>One partition: a bounded queue, the worker that alone owns its <see cref="PartitionProcessor"/>, and a
/// <see cref="TimeProvider"/> timer set to the earliest due journey timer.</summary>
internal sealed class Partition : IAsyncDisposable
{
    private readonly Channel<WorkItem> _queue;
    private readonly TimeProvider _time;
    private readonly Action<Exception> _onError;
    private readonly ITimer _timer;
    private readonly Persistence.IJourneyStore? _store;
    private Task? _worker;

    public Partition(PartitionProcessor processor, TimeProvider time, int capacity, Action<Exception> onError, Persistence.IJourneyStore? store)
    {
        _store = store;
        Processor = processor;
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

    public Task BarrierAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return EnqueueAsync(new WorkItem(WorkKind.Barrier, done, 0), cancellationToken).AsTask()
            .ContinueWith(_ => done.Task, cancellationToken, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
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
                        Processor.Process((CustomerEvent)item.Payload!, item.NowTicks);
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
                _onError(ex); // one bad item never stops the partition
            }

            if (_queue.Reader.Count == 0)
            {
                ReportFailure(Flush());
                Rearm();
            }
        }

        ReportFailure(Flush());
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
