using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Persistence;
using Journeys.State;
using Journeys.Telemetry;

namespace Journeys.Engine;

/// <summary>One partition: a bounded queue, the worker that alone owns its <see cref="PartitionProcessor"/>, and a
/// <see cref="TimeProvider"/> timer set to the earliest due journey timer. Messages the processor sends go to an outbox
/// that the worker hands to the delivery lanes, awaiting a full lane: the worker stalls without blocking a thread, its
/// queue fills, and publishers wait (back-pressure from the slowest channel to <c>PublishAsync</c>).
/// <para>Without a store the outbox is handed over after each item. With one it is a transactional outbox: a batch's
/// messages are saved with the batch's state in one <see cref="IJourneyStore.SaveChangesAsync"/> call (awaited) and handed
/// over only after it returned; a message whose delivery has ended (delivered, or failed for good) is removed from the
/// store by the next save (an idle partition is woken for it), and so is the count of a delivery's failed attempts
/// while it retries, so a restart goes on from it. The worker never waits for deliveries to end, except at a drain and
/// at stop.</para>
/// <para>Catch-up: a tick fires at most <c>timersPerTurn</c> due timers; when more are due the batch ends there (saved)
/// and another tick is queued behind the items already waiting, so live inputs interleave with a long catch-up.</para></summary>
internal sealed partial class Partition : IAsyncDisposable
{
    private readonly PartitionQueue _queue;
    private readonly TimeProvider _time;
    private readonly Action<Exception> _onError;
    private readonly ITimer _timer;
    private readonly IJourneyStore? _store;
    private readonly JourneysMetrics _metrics;
    private readonly List<OutboundMessage> _outbox = []; // decided, not yet handed over (with a store: not yet saved)
    private readonly DecisionBuffer _decided = new(); // made, not yet published (with a store: not yet saved)
    private readonly Action<IReadOnlyList<JourneyDecision>> _publish;
    private readonly Func<OutboundMessage, TaskCompletionSource<bool>?, ValueTask> _deliver;
    // With a store: saved, handed over, not yet out of the lanes (true: ended, so removed from the outbox; false: left
    // undelivered at a stop, so kept).
    private readonly List<(string Key, string CustomerId, Task<bool> Ended)> _inFlight = [];
    private readonly List<string> _ended = []; // with a store: ended, not yet removed from the store's outbox
    private readonly IReadOnlyList<OutboundMessage> _recovered;
    private readonly EventChunkPool _chunks;
    private Task? _worker;
    private int _endedQueued; // 1 while an Ended item is queued: one wake-up at a time, however many deliveries end or attempts fail
    private readonly System.Collections.Concurrent.ConcurrentQueue<OutboundMessage> _failedAttempts = new(); // with a store: from the lanes
    private readonly Dictionary<string, OutboundMessage> _attempts = new(StringComparer.Ordinal); // with a store: attempt counts to save

    // createProcessor makes the processor given the outbox it sends to; deliver hands one message to a lane and may wait.
    // recovered: the store's outbox for this partition's customers, delivered again before any new work.
    public Partition(Func<Action<OutboundMessage>, IDecisionSink, PartitionProcessor> createProcessor, Func<OutboundMessage, TaskCompletionSource<bool>?, ValueTask> deliver,
        Action<IReadOnlyList<JourneyDecision>> publish, TimeProvider time, int capacity, Action<Exception> onError, IJourneyStore? store, JourneysMetrics metrics,
        EventChunkPool chunks, IReadOnlyList<OutboundMessage>? recovered = null)
    {
        _publish = publish;
        _chunks = chunks;
        _store = store;
        _metrics = metrics;
        _deliver = deliver;
        _recovered = recovered ?? [];
        _createProcessor = createProcessor;
        Processor = createProcessor(_outbox.Add, _decided);
        _time = time;
        _onError = onError;
        _queue = new PartitionQueue(capacity);
        _timer = time.CreateTimer(static state => ((Partition)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public PartitionProcessor Processor { get; private set; }

    private readonly Func<Action<OutboundMessage>, IDecisionSink, PartitionProcessor> _createProcessor;

    /// <summary>A new processor for this partition, made by the same factory (so from the engine's current model), with
    /// no customers yet: a reload fills it while the partition is paused, then <see cref="PauseAsync"/>'s resume swaps it in.</summary>
    public PartitionProcessor CreateProcessor() => _createProcessor(_outbox.Add, _decided);

    /// <summary>Parks the worker once everything queued before is applied and saved (a reload: docs/operations.md). The
    /// returned task completes when the partition is parked (or fails with the store's error, the partition then going
    /// on as before); the worker waits for <paramref name="resume"/>: a processor to run from then on, or null to keep
    /// its own. Inputs published meanwhile wait in the queue.</summary>
    public async Task PauseAsync(Task<PartitionProcessor?> resume, CancellationToken cancellationToken)
    {
        var parked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await EnqueueAsync(new WorkItem(WorkKind.Pause, new PauseRequest(parked, resume), _time.GetUtcNow().UtcTicks), cancellationToken).ConfigureAwait(false);
        await parked.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private sealed record PauseRequest(TaskCompletionSource Parked, Task<PartitionProcessor?> Resume);

    public int QueueDepth => _queue.Count;

    public void Start() => _worker ??= Task.Run(RunAsync);

    public ValueTask EnqueueAsync(WorkItem item, CancellationToken cancellationToken) => _queue.WriteAsync(item, cancellationToken);

    public async Task BarrierAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await EnqueueAsync(new WorkItem(WorkKind.Barrier, done, _time.GetUtcNow().UtcTicks), cancellationToken).ConfigureAwait(false);
        var worker = _worker ?? done.Task;

        // A worker that stopped (it never should: every item is guarded) would leave the drain waiting forever.
        if (await Task.WhenAny(done.Task, worker).WaitAsync(cancellationToken).ConfigureAwait(false) != done.Task)
        {
            throw new InvalidOperationException("A partition worker stopped before the drain completed.", worker.Exception?.GetBaseException());
        }

        await done.Task.ConfigureAwait(false); // rethrows a store failure the barrier reported
    }

    /// <summary>A delivery's attempt <paramref name="attempt"/> failed and another will follow: with a store, the count is
    /// saved on the message's outbox row by the next save (the worker is woken for it), so an engine restarted before
    /// the delivery ends goes on from there instead of starting again at 1. Called from a delivery lane.</summary>
    public void OnAttemptFailed(OutboundMessage message, int attempt)
    {
        if (_store is null)
        {
            return;
        }

        _failedAttempts.Enqueue(message with { PreviousAttempts = attempt });
        WakeToSave();
    }

    /// <summary>A delivery ended or an attempt failed: wakes the worker, so that a partition with no other work still
    /// saves it — removes ended deliveries from the store's outbox (a crash would otherwise deliver them again), records
    /// attempt counts. Busy partitions do that anyway when their queue next runs empty; one wake-up is queued at a time,
    /// so ending deliveries add no save each.</summary>
    private void WakeToSave()
    {
        if (Interlocked.Exchange(ref _endedQueued, 1) == 0 &&
            !_queue.TryWrite(new WorkItem(WorkKind.Ended, null, _time.GetUtcNow().UtcTicks)))
        {
            Volatile.Write(ref _endedQueued, 0); // a full queue (it saves once it runs empty) or a stopped partition
        }
    }

    private void OnTimer()
    {
        Volatile.Write(ref _armedFor, NotArmed); // fired (or woke early for a far timer): the next Rearm arms again
        _queue.TryWrite(new WorkItem(WorkKind.Tick, null, _time.GetUtcNow().UtcTicks)); // a full queue will advance time anyway
    }

    /// <summary>For tests: called in each save with a store right after the deliveries that had ended were taken, with the
    /// ends of those still in flight (a test ends one there, as a delivery lane may at that moment).</summary>
    internal Action<IReadOnlyList<Task<bool>>>? AfterDeliveriesTaken { get; set; }

    /// <summary>The most events applied as one batch by default (see <see cref="ProcessEventsAsync"/>).</summary>
    internal const int MaxEventBatch = 64;

    private readonly CustomerEvent[] _batch = new CustomerEvent[MaxEventBatch];
    private readonly long[] _batchTimes = new long[MaxEventBatch];

    /// <summary>The most events applied as one batch, 1 to <see cref="MaxEventBatch"/>. A batch is taken off the queue
    /// at once, so a stalled worker holds up to this many events beyond its queue's capacity. Set before start (tests
    /// set 1 to count back-pressure one event at a time).</summary>
    internal int EventBatchSize { get; set; } = MaxEventBatch;

    /// <summary>Applies <paramref name="first"/> and the events queued right behind it (up to <see cref="EventBatchSize"/>,
    /// stopping at any other kind of work), in order, prefetching the customers of the events ahead so their cache
    /// misses overlap. Each event is applied, counted and, when it throws, reported on its own, as one by one.</summary>
    private async ValueTask ProcessEventsAsync(WorkItem first)
    {
        var count = 0;
        _batch[count] = (CustomerEvent)first.Payload!;
        _batchTimes[count++] = first.NowTicks;
        while (count < EventBatchSize && _queue.TryRead(out var next))
        {
            if (next.Kind != WorkKind.Event)
            {
                _queue.Hold(next); // taken first on the next turn
                break;
            }

            _batch[count] = (CustomerEvent)next.Payload!;
            _batchTimes[count++] = next.NowTicks;
        }

        if (Processor.HasEvicted)
        {
            await LoadEvictedAsync(_batch, count).ConfigureAwait(false);
        }

        Apply(_batch.AsSpan(0, count), _batchTimes.AsSpan(0, count));
        _batch.AsSpan(0, count).Clear(); // the batch holds no events alive once applied
    }

    /// <summary>Applies a chunk of events published together (<see cref="JourneyEngine.PublishAsync(IReadOnlyList{CustomerEvent}, CancellationToken)"/>),
    /// all at the time they were enqueued, as <see cref="ProcessEventsAsync"/> applies a batch, then returns it to the pool.</summary>
    private void ProcessChunk(EventChunk chunk, long nowTicks)
    {
        _batchTimes.AsSpan(0, chunk.Count).Fill(nowTicks);
        Apply(chunk.Events.AsSpan(0, chunk.Count), _batchTimes.AsSpan(0, chunk.Count));
        _chunks.Return(chunk);
    }

    /// <summary>Applies events in order, each at its time, through the processor's batch path (hashes and types looked up
    /// once, the customers of the events ahead prefetched). Each event is applied, counted and, when it throws, reported
    /// on its own, as one by one.</summary>
    private void Apply(ReadOnlySpan<CustomerEvent> events, ReadOnlySpan<long> times)
    {
        Processor.BeginBatch(events);
        for (var i = 0; i < events.Length; i++)
        {
            try
            {
                _metrics.EventProcessed(Processor.ProcessInBatch(events, i, times[i]));
            }
            catch (Exception ex)
            {
                _metrics.EventNotProcessed();
                _onError(ex); // one bad event never stops the partition, nor the rest of its batch
            }
        }
    }

    private async Task RunAsync()
    {
        Processor.EvictIdle(_time.GetUtcNow().UtcTicks); // sets when the first idle sweep is due
        var madeUp = Processor.MakeUpSchedules(); // schedule occurrences missed while no engine ran, entered at the start
        Rearm(); // customers restored from a store may have timers already
        if (_recovered.Count > 0)
        {
            await HandOverAsync(_recovered).ConfigureAwait(false); // the store's outbox goes out before anything new
        }

        if (madeUp > 0)
        {
            ReportFailure(await SaveAsync().ConfigureAwait(false)); // saved (and then handed over) as any batch
        }

        while (await _queue.WaitToReadAsync().ConfigureAwait(false))
        {
            if (!_queue.TryRead(out var item))
            {
                continue;
            }

            try
            {
                switch (item.Kind)
                {
                    case WorkKind.Event:
                        await ProcessEventsAsync(item).ConfigureAwait(false);
                        break;
                    case WorkKind.Events:
                        if (Processor.HasEvicted)
                        {
                            await LoadEvictedAsync(((EventChunk)item.Payload!).Events, ((EventChunk)item.Payload!).Count).ConfigureAwait(false);
                        }

                        ProcessChunk((EventChunk)item.Payload!, item.NowTicks);
                        break;
                    case WorkKind.Identify:
                        await LoadEvictedAsync(((CustomerProfile)item.Payload!).CustomerId).ConfigureAwait(false);
                        Processor.Identify((CustomerProfile)item.Payload!, item.NowTicks);
                        break;
                    case WorkKind.Tick:
                        Processor.AdvanceTo(item.NowTicks);
                        break;
                    case WorkKind.Control:
                        await RunControlAsync((IPartitionControl)item.Payload!, item.NowTicks).ConfigureAwait(false);
                        break;
                    case WorkKind.Ended:
                        Volatile.Write(ref _endedQueued, 0); // the save below, when the queue is empty, removes them
                        await ApplyAnswersAsync().ConfigureAwait(false);
                        break;
                    case WorkKind.Pause:
                    {
                        var pause = (PauseRequest)item.Payload!;
                        Processor.AdvanceTo(item.NowTicks);
                        var notSaved = await SaveAsync().ConfigureAwait(false);
                        if (notSaved is not null)
                        {
                            pause.Parked.TrySetException(notSaved);
                            continue;
                        }

                        pause.Parked.TrySetResult();
                        if (await pause.Resume.ConfigureAwait(false) is { } next)
                        {
                            Processor = next; // the reload's model and customers, restored from what was just saved
                        }

                        Rearm();
                        continue;
                    }

                    case WorkKind.Barrier:
                        // A drain returns only once everything before it — inputs, and timers due by then — is applied,
                        // saved and delivered (with a store, the outbox rows of those deliveries removed), or fails with
                        // the store's error.
                        var barrier = (TaskCompletionSource)item.Payload!;
                        Processor.AdvanceTo(item.NowTicks);
                        while (Processor.Behind) // a drain finishes a catch-up in progress, still saving turn by turn
                        {
                            ReportFailure(await SaveAsync().ConfigureAwait(false));
                            Processor.AdvanceTo(item.NowTicks);
                        }

                        var failure = await SaveAsync().ConfigureAwait(false);
                        if (failure is null && _inFlight.Count > 0)
                        {
                            await Task.WhenAll(_inFlight.Select(f => f.Ended)).ConfigureAwait(false);
                            failure = await SaveAsync().ConfigureAwait(false);
                        }

                        if (failure is null)
                        {
                            EvictIdle(); // everything is saved: a sweep due now runs before the drain returns
                        }

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

            if (_store is null)
            {
                if (_outbox.Count > 0)
                {
                    await HandOverAsync(_outbox).ConfigureAwait(false);
                    _outbox.Clear();
                }

                PublishDecided(); // the item's state change is applied: its decisions go to the observers
            }

            var catchingUp = item.Kind == WorkKind.Tick && Processor.Behind;
            if (_queue.IsEmpty || catchingUp)
            {
                ReportFailure(await SaveAsync().ConfigureAwait(false));
                EvictIdle();
                Rearm();
                if (catchingUp)
                {
                    _queue.TryWrite(item); // the rest of the catch-up, behind what is queued (when full, the queued items advance time)
                }
            }
        }

        var last = await SaveAsync().ConfigureAwait(false);
        if (last is null && _inFlight.Count > 0)
        {
            await Task.WhenAll(_inFlight.Select(f => f.Ended)).ConfigureAwait(false); // stopping: record their end too
            last = await SaveAsync().ConfigureAwait(false);
        }

        SavedAtStop = last is null;
        ReportFailure(last);
    }

    /// <summary>True once the worker stopped with its last save done (everything it applied is in the store).</summary>
    public bool SavedAtStop { get; private set; }

    /// <summary>Hands messages to the delivery lanes, waiting while a lane is full. With a store each is tracked until it
    /// ends, so a later batch removes it from the store's outbox.</summary>
    private async ValueTask HandOverAsync(IReadOnlyList<OutboundMessage> messages)
    {
        foreach (var message in messages)
        {
            try
            {
                TaskCompletionSource<bool>? ended = null;
                if (_store is not null)
                {
                    ended = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                    _inFlight.Add((message.IdempotencyKey, message.CustomerId, ended.Task));
                    _ = ended.Task.ContinueWith(static (_, partition) => ((Partition)partition!).WakeToSave(), this, CancellationToken.None,
                        TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }

                var handed = _deliver(message, ended);
                if (!handed.IsCompleted)
                {
                    _queue.LetWritersIn(); // the worker waits for a lane: publishers may fill the room it made meanwhile
                }

                await handed.ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _onError(ex);
            }
        }
    }

    /// <summary>Ends a batch: with a store, saves in one call the customers changed since the last save, the messages
    /// decided since (the outbox) and the keys of deliveries that ended since; only then hands those messages to the
    /// lanes. When the store fails, all of it stays pending, so the next save writes it (as it is by then) and the
    /// messages wait for that save. Without a store there is nothing to do.</summary>
    private async ValueTask<Exception?> SaveAsync()
    {
        if (_store is null)
        {
            await ApplyAnswersAsync().ConfigureAwait(false);
            PublishDecided();
            return null;
        }

        // Each delivery's end is read once: a delivery that ends while this runs is either taken here or stays in flight
        // for the next save (reading it twice, once to take the ended and once to drop the rest, forgot one that ended
        // in between: its row stayed in the outbox).
        List<string>? abandoned = null;
        _inFlight.RemoveAll(f =>
        {
            if (!f.Ended.IsCompleted)
            {
                return false;
            }

            if (f.Ended.Result)
            {
                _ended.Add(f.Key);
            }
            else
            {
                (abandoned ??= []).Add(f.Key); // left undelivered at a stop: its row (and attempt count) stays for the next start
            }

            return true;
        });
        await ApplyAnswersAsync().ConfigureAwait(false); // after the ended were taken: their answers are queued by now
        AfterDeliveriesTaken?.Invoke(_inFlight.Select(f => f.Ended).ToArray());
        TakeFailedAttempts(abandoned);

        List<CustomerSnapshot>? changes = null;
        try
        {
            changes = Processor.TakeChanges();
            if (changes.Count > 0 || _outbox.Count > 0 || _ended.Count > 0 || _attempts.Count > 0)
            {
                // Encoded here, on this partition's worker (so partitions encode in parallel), once per batch: the store
                // gets opaque records. Not cancelled: a batch the engine needs saved is saved or fails.
                var customers = new CustomerRecord[changes.Count];
                for (var i = 0; i < customers.Length; i++)
                {
                    customers[i] = RecordCodec.Encode(changes[i]);
                }

                var added = new OutboxRecord[_outbox.Count + _attempts.Count];
                for (var i = 0; i < _outbox.Count; i++)
                {
                    added[i] = RecordCodec.Encode(_outbox[i]);
                }

                var next = _outbox.Count;
                foreach (var retrying in _attempts.Values)
                {
                    added[next++] = RecordCodec.Encode(retrying);
                }

                await _store.SaveChangesAsync(customers, added, _ended, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            if (changes is not null)
            {
                Processor.RetryChanges(changes);
            }

            return ex;
        }

        _ended.Clear();
        _attempts.Clear();
        PublishDecided(); // saved with the state change that made them: now the observers may see them
        if (_outbox.Count > 0)
        {
            await HandOverAsync(_outbox).ConfigureAwait(false);
            _outbox.Clear();
        }

        return null;
    }

    /// <summary>Moves the attempt counts the lanes reported into <see cref="_attempts"/> (the latest per message), for
    /// messages still in flight: the row of a delivery that has ended is removed instead, and the store removes before
    /// it adds, so re-adding it would keep it.</summary>
    /// <summary>Hands the decisions made since the last call to the engine's observers (after commit: the state change is
    /// applied and, with a store, saved). An observer's failure is the publisher's to isolate; it never reaches here.</summary>
    private void PublishDecided()
    {
        if (_decided.Count > 0)
        {
            _publish(_decided);
            _decided.Clear();
        }
    }

    private void TakeFailedAttempts(List<string>? abandoned)
    {
        if (!_failedAttempts.IsEmpty) // rare: only while a channel fails
        {
            var inFlight = _inFlight.Select(f => f.Key).Concat(abandoned ?? []).ToHashSet(StringComparer.Ordinal);
            while (_failedAttempts.TryDequeue(out var message))
            {
                if (inFlight.Contains(message.IdempotencyKey) &&
                    (!_attempts.TryGetValue(message.IdempotencyKey, out var known) || known.PreviousAttempts < message.PreviousAttempts))
                {
                    _attempts[message.IdempotencyKey] = message;
                }
            }
        }

        if (_attempts.Count > 0)
        {
            foreach (var key in _ended)
            {
                _attempts.Remove(key); // reported, then ended before a save succeeded (a failed save keeps both pending)
            }
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

    /// <summary>The due time the timer is armed for (<see cref="NotArmed"/>: unknown, arm on the next
    /// <see cref="Rearm"/>; <see cref="ArmedForNothing"/>: disarmed). Written by the worker, reset by the timer callback.</summary>
    private long _armedFor = NotArmed;

    /// <summary>The due time the timer is armed for, or null when nothing is armed (or a timer just fired and the worker
    /// has not armed the next one yet).</summary>
    public long? ArmedForTicks => Volatile.Read(ref _armedFor) is var due && due != NotArmed && due != ArmedForNothing ? due : null;

    private const long NotArmed = long.MinValue;
    private const long ArmedForNothing = long.MaxValue;

    /// <summary>Arms the timer for the earliest journey timer. Skipped when that due time has not changed since the timer
    /// was armed for it and has not fired since: the worker calls this whenever its queue runs empty, and changing a
    /// platform timer takes a lock and costs far more than applying an event.</summary>
    private void Rearm()
    {
        var due = Math.Min(Processor.NextDueTicks ?? ArmedForNothing, Processor.NextSweepTicks ?? ArmedForNothing);
        if (due == Volatile.Read(ref _armedFor))
        {
            return;
        }

        Volatile.Write(ref _armedFor, due);
        if (due == ArmedForNothing)
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        var delay = TimeSpan.FromTicks(Math.Clamp(due - _time.GetUtcNow().UtcTicks, 0, MaxTimerWaitTicks));
        _timer.Change(delay, Timeout.InfiniteTimeSpan);
    }

    public async Task StopAsync()
    {
        _queue.Complete();
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
