using System.Diagnostics;
using System.Diagnostics.Metrics;
using Journeys.Compilation;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Language.Loading;
using Journeys.Outbox;
using Journeys.Persistence;
using Journeys.State;
using Journeys.Telemetry;
using Microsoft.Extensions.Logging;

namespace Journeys.Engine;

/// <summary>The engine: runs every customer through the loaded journeys as events arrive. Build it with
/// <see cref="JourneyEngineBuilder"/>, <see cref="Start"/> it, publish events and profile updates from any thread,
/// observe <see cref="Decisions"/>, and <see cref="StopAsync"/> it to drain.
/// <para>Threading: customers are partitioned by id; each partition is owned by one worker, so a customer's events are
/// applied in the order they were published, without locks. Time: read only through the <see cref="TimeProvider"/>
/// given to the builder; timers fire through it, so a <c>FakeTimeProvider</c> runs months in milliseconds.</para>
/// <para>Observability: instruments on the <c>Journeys</c> meter, spans from the <c>Journeys</c> activity source around
/// deliveries, and logs through the builder's logger factory (see docs/embedding.md, "Metrics and logs").</para></summary>
public sealed partial class JourneyEngine : IAsyncDisposable
{
    private Partition[] _partitions; // empty until started
    private readonly EventChunkPool _chunks;
    private readonly DeliveryPipeline _delivery;
    private readonly DecisionPublisher _publisher;
    private readonly Action<Exception>? _onError;
    private readonly ILogger _log;
    private readonly JourneysMetrics _metrics;
    private readonly int _queueCapacity;
    private readonly TimeSpan _drainTimeout;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state; // 0 built, 1 running, 2 stopped
    private long _answered; // answers handed to the partitions so far (DrainAsync goes another round when it grew)

    // What starting needs that the constructor only keeps: the partitions are made once the store is read (StartAsync).
    private readonly IJourneyStore? _store;
    private readonly IReadOnlyList<string> _channelNames;
    private readonly IReadOnlyList<string> _actionNames;
    private readonly int _partitionCount;
    private readonly int _catchUpLimit;
    private readonly TimeSpan? _maxSendLateness;
    private readonly EngineLimits _limits;
    private readonly TimeProvider _deliveryTime; // what the lanes wait on (JourneyEngineBuilder.UseDeliveryTimeProvider)
    private readonly Lock _startGate = new();
    private Task<JourneyEngine>? _starting;
    private int _eventBatchSize = Partition.MaxEventBatch;

    internal JourneyEngine(JourneyCatalog catalog, IEnumerable<(IChannel Channel, ChannelDeliveryOptions Options)> channels, TimeProvider time,
        TimeProvider deliveryTime, int partitions, int queueCapacity, int catchUpLimit, TimeSpan? maxSendLateness,
        Action<Exception>? onError, IJourneyStore? store, ILoggerFactory loggerFactory, IMeterFactory? meterFactory, TimeSpan drainTimeout,
        EngineLimits limits, IEnumerable<(IJourneyAction Action, ChannelDeliveryOptions Options)>? actions = null)
    {
        _limits = limits;
        _catalog = catalog;
        TimeProvider = time;
        _deliveryTime = deliveryTime;
        _onError = onError;
        _queueCapacity = queueCapacity;
        _drainTimeout = drainTimeout;
        _store = store;
        _partitionCount = partitions;
        _catchUpLimit = catchUpLimit;
        _maxSendLateness = maxSendLateness;
        _log = loggerFactory.CreateLogger<JourneyEngine>();
        var list = channels.ToList();
        _channelNames = list.Select(c => c.Channel.Name).ToList();
        _metrics = new JourneysMetrics(meterFactory, QueueDepth, () => _delivery?.QueueDepths() ?? []);
        _publisher = new DecisionPublisher(_log, _metrics);
        var actionList = (actions ?? []).ToList();
        _actionNames = actionList.Select(a => a.Action.Name).ToList();
        _delivery = new DeliveryPipeline(list, deliveryTime, Ended, ex => _onError?.Invoke(ex), Retrying, actionList);
        _chunks = new EventChunkPool(Math.Min(queueCapacity, 4096) * partitions);
        _partitions = [];
    }

    /// <summary>Reads the store — journey versions, customers, outbox — checks them, saves the journey versions it runs
    /// (its only write, once every check passed) and makes the partitions: what <see cref="StartAsync"/> does before the
    /// workers start. Without a store there is nothing to read.</summary>
    private async Task OpenAsync(CancellationToken cancellationToken)
    {
        var versions = await VersionPlan.ResolveAsync(Catalog, _store, _log, cancellationToken).ConfigureAwait(false);
        var registered = _channelNames.ToHashSet(StringComparer.Ordinal);
        var unserved = registered.Contains(RecordingChannel.AnyName) ? [] : versions.Model.Journeys.Where(j => !j.AcceptsEntries)
            .SelectMany(j => j.Steps.SelectMany(st => st.Sends).Select(send => (j, send.Channel)))
            .Where(x => !registered.Contains(x.Channel)).Select(x => $"'{x.j.Id}' version {x.j.Version} sends on '{x.Channel}'").Distinct().ToList();
        if (unserved.Count > 0)
        {
            throw new InvalidOperationException("Customers finish on older journey versions whose channels have no adapter: " +
                                                string.Join(", ", unserved) + ". Register a channel of that name.");
        }

        var recovered = new List<OutboundMessage>();
        if (_store is not null)
        {
            foreach (var record in await _store.LoadOutboxAsync(cancellationToken).ConfigureAwait(false))
            {
                recovered.Add(RecordCodec.Decode(record));
            }
        }

        await LoadAliasesAsync(cancellationToken).ConfigureAwait(false);
        if (_store is not null && versions.ToSave.Count > 0)
        {
            await _store.SaveJourneyVersionsAsync(versions.ToSave, cancellationToken).ConfigureAwait(false); // every check passed: the one write
        }

        if (recovered.Count > 0)
        {
            _log.OutboxRedelivered(recovered.Count, recovered.Count(m => m.PreviousAttempts > 0));
        }

        _paused = await LoadPausedAsync(cancellationToken).ConfigureAwait(false);
        await LoadCommittedClockAsync(cancellationToken).ConfigureAwait(false);

        // Delivered again on start, before anything new, marked as such; their attempts go on from the count the store kept.
        var partitions = _partitionCount;
        var outbox = recovered.Select(m => m with { Redelivered = true }).ToLookup(m => PartitionOf(m.CustomerId, partitions));
        Model = versions.Model;

        // A schedule journey first deployed while no engine ran did not exist when its missed occurrences fell: none is made up.
        var deployedSinceStop = Catalog.Definitions.Where(j => j.Source is not null && !versions.StoredJourneyIds.Contains(j.Id))
            .Select(j => j.Id).ToHashSet(StringComparer.Ordinal);
        var created = Enumerable.Range(0, partitions)
            .Select(i => new Partition(
                (deliver, decided) => new PartitionProcessor(Model, decided, deliver, trackChanges: _store is not null) {
                    TimersPerTurn = _catchUpLimit,
                    MaxSendLatenessTicks = _maxSendLateness?.Ticks ?? long.MaxValue,
                    RuleFailed = RuleFailed,
                    PausedJourneys = _paused,
                    EntryRefused = EntryRefusedPaused,
                    RunTimings = _metrics,
                    Limits = _limits,
                    IdleEvictionTicks = IdleEviction?.Ticks ?? 0,
                    RestoreSnapshot = RestoreCustomer,
                    CommittedTicks = _committedTicks,
                    ScheduleMakeUpTicks = ScheduleMakeUp?.Ticks ?? 0,
                    DeployedSinceStop = deployedSinceStop,
                },
                (message, ended) => _delivery.EnqueueAsync(message, ended), _publisher.Publish, TimeProvider, _queueCapacity, ex => PartitionFailed(i, ex),
                _store, _metrics, _chunks, outbox[i].ToList()) { EventBatchSize = _eventBatchSize, CancelDelivery = _delivery.Cancel })
            .ToArray();
        var startTicks = TimeProvider.GetUtcNow().UtcTicks;
        foreach (var snapshot in versions.Customers)
        {
            created[PartitionOf(snapshot.Id, partitions)].Processor.Adopt(SnapshotMapper.FromSnapshot(snapshot, versions, startTicks), startTicks);
        }

        versions.ReleaseCustomers();
        _plan = versions;

        _partitions = created;
    }

    /// <summary>The journeys, policy and rules the engine runs (the last catalog a reload applied, else the built one).</summary>
    public JourneyCatalog Catalog { get => Volatile.Read(ref _catalog); private set => Volatile.Write(ref _catalog, value); }

    private JourneyCatalog _catalog;

    /// <summary>The clock the engine reads and waits on.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Every decision, as it is made (from the partitions' worker threads, one at a time).</summary>
    public IObservable<JourneyDecision> Decisions => _publisher;

    /// <summary>Subscribes a high-volume reader: <paramref name="onBatch"/> gets each partition's committed decisions as one
    /// list (the decisions of a batch of events, a timer turn or a profile update, once applied and saved), in the order
    /// they were made, from that partition's thread — calls for one subscriber never overlap. The list is the reader's to
    /// keep. Like the observers of <see cref="Decisions"/>, a reader that throws is logged and counted, and keeps its
    /// subscription; a slow reader slows the partitions, so hand heavy work to a queue of your own.</summary>
    /// <param name="onBatch">Called with each batch of committed decisions.</param>
    /// <returns>Dispose it to stop reading.</returns>
    public IDisposable SubscribeBatches(Action<IReadOnlyList<JourneyDecision>> onBatch) => _publisher.SubscribeBatches(onBatch);

    /// <summary>The due time of the earliest journey timer the partitions have armed (null: none), as of the last time a
    /// worker ran out of work — after every batch, timer turn and <see cref="DrainAsync"/>; read it after a drain for an
    /// exact answer. A host that deactivates the engine (an Orleans shard grain) keeps it, to be woken in time.</summary>
    public DateTimeOffset? NextTimerDue
    {
        get
        {
            long? earliest = null;
            foreach (var partition in _partitions)
            {
                if (partition.ArmedForTicks is { } due && (earliest is null || due < earliest))
                {
                    earliest = due;
                }
            }

            return earliest is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
        }
    }

    /// <summary>The partitions, once started (for tests).</summary>
    internal IReadOnlyList<Partition> Partitions => _partitions;

    /// <summary>How many partitions (workers) the engine runs.</summary>
    public int PartitionCount => _partitionCount;

    /// <summary>The most events a partition applies as one batch (see <see cref="Partition.EventBatchSize"/>); set before
    /// <see cref="Start"/>.</summary>
    internal int EventBatchSize
    {
        get => _eventBatchSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, Partition.MaxEventBatch);
            _eventBatchSize = value;
            foreach (var partition in _partitions)
            {
                partition.EventBatchSize = value;
            }
        }
    }

    /// <summary>The model the partitions run (the catalog and the retired versions customers finish on); set when the
    /// engine starts.</summary>
    internal RuntimeModel Model { get; private set; } = null!;


    /// <summary>Starts the engine: reads the store, then starts the workers; what <see cref="StartAsync"/> does, waiting
    /// for it. With the in-memory store (or none) nothing waits; with a store that does I/O, prefer
    /// <see cref="StartAsync"/> where a thread should not block. Publishing before the engine started throws.</summary>
    /// <returns>This engine.</returns>
    /// <exception cref="InvalidOperationException">The engine was stopped, or the store's journey versions or customers
    /// cannot be run (see <see cref="StartAsync"/>).</exception>
    public JourneyEngine Start() => StartAsync().GetAwaiter().GetResult();

    /// <summary>Starts the engine: with a store, reads the journey versions and every customer (decoding their records),
    /// checks the catalog's versions against them, saves the versions it runs, reads the outbox; then starts the workers,
    /// which deliver the outbox again before anything new. A second call returns the first one's task (the engine starts
    /// once); a start that failed or was cancelled can be tried again. Publishing before the engine started throws.</summary>
    /// <param name="cancellationToken">Cancels reading the store; the engine is then not started.</param>
    /// <returns>This engine, started.</returns>
    /// <exception cref="InvalidOperationException">The engine was stopped; or a journey's version is lower than the store
    /// ran, or customers finish on an older version whose channel has no adapter (the message names them).</exception>
    /// <exception cref="Journeys.Diagnostics.JourneyLoadException">An older version customers are inside no longer compiles.</exception>
    /// <exception cref="Journeys.Diagnostics.JourneyRecordException">A record the store returned cannot be read.</exception>
    public Task<JourneyEngine> StartAsync(CancellationToken cancellationToken = default)
    {
        lock (_startGate)
        {
            if (Volatile.Read(ref _state) == 2)
            {
                throw new InvalidOperationException("The engine was stopped; build a new one.");
            }

            if (_starting is not { IsFaulted: false, IsCanceled: false })
            {
                _starting = StartCoreAsync(cancellationToken); // the first start, or again after one that failed
            }

            return _starting;
        }
    }

    private async Task<JourneyEngine> StartCoreAsync(CancellationToken cancellationToken)
    {
        await OpenAsync(cancellationToken).ConfigureAwait(false); // a failure leaves the engine as built: StartAsync may run again

        lock (_startGate)
        {
            if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
            {
                return this; // stopped while reading the store: the workers never start
            }
        }

        _delivery.Start();
        foreach (var partition in _partitions)
        {
            partition.Start();
        }

        _log.EngineStarted(Catalog.Journeys.Count, _partitions.Length, _queueCapacity);
        return this;
    }

    /// <summary>Publishes an event; blocks while the customer's partition queue is full (back-pressure).</summary>
    public void Publish(CustomerEvent customerEvent) => PublishAsync(customerEvent).AsTask().GetAwaiter().GetResult();

    /// <summary>Publishes an event; completes when it is queued (waits while the partition queue is full). Once it has
    /// completed without an exception, the event is applied and its decisions are published even when
    /// <see cref="StopAsync"/> runs at the same moment (the stop applies everything queued before it completes).</summary>
    /// <exception cref="InvalidOperationException">The engine was not started, or is stopping or stopped (a call racing
    /// <see cref="StopAsync"/> either throws this, and the event is not applied, or completes, and it is).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while the call waited
    /// for room in a full queue; the event is not applied.</exception>
    public ValueTask PublishAsync(CustomerEvent customerEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customerEvent);
        customerEvent = Aliased(customerEvent);
        return Enqueue(customerEvent.CustomerId, new WorkItem(WorkKind.Event, customerEvent, Now()), cancellationToken);
    }

    /// <summary>Publishes events in order, as <see cref="Publish(CustomerEvent)"/> one by one would (each customer's events
    /// stay in order); blocks while a partition queue is full. Cheaper per event: see
    /// <see cref="PublishAsync(IReadOnlyList{CustomerEvent}, CancellationToken)"/>.</summary>
    public void Publish(IReadOnlyList<CustomerEvent> events) => PublishAsync(events).AsTask().GetAwaiter().GetResult();

    /// <summary>Publishes events in order, as <see cref="PublishAsync(CustomerEvent, CancellationToken)"/> one by one would
    /// (each customer's events stay in order, and are applied at the time of this call). Cheaper per event, for a consumer
    /// that reads a log or a queue in batches: the clock is read once, and each partition's events are queued in chunks of
    /// up to 64, a chunk taking one place in the partition's queue (so back-pressure counts chunks, not events). Chunks
    /// are reused, so publishing allocates next to nothing. When <paramref name="cancellationToken"/> cancels a wait for a
    /// full queue, the events before it may have been queued and the rest are not.</summary>
    /// <exception cref="ArgumentNullException">The list or one of its events is null; nothing was published.</exception>
    public async ValueTask PublishAsync(IReadOnlyList<CustomerEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i] is null)
            {
                throw new ArgumentNullException(nameof(events), $"Event {i} of the batch is null; nothing was published.");
            }
        }

        EnsureRunning();
        var now = Now();
        var partitions = _partitions;
        var pending = new EventChunk?[partitions.Length];
        for (var i = 0; i < events.Count; i++)
        {
            var e = Aliased(events[i]);
            var p = partitions.Length == 1 ? 0 : PartitionOf(e.CustomerId, partitions.Length);
            var chunk = pending[p] ??= _chunks.Rent();
            chunk.Events[chunk.Count++] = e;
            if (chunk.Count == chunk.Events.Length)
            {
                pending[p] = null;
                await partitions[p].EnqueueAsync(new WorkItem(WorkKind.Events, chunk, now), cancellationToken).ConfigureAwait(false);
            }
        }

        for (var p = 0; p < partitions.Length; p++)
        {
            if (pending[p] is { } chunk)
            {
                await partitions[p].EnqueueAsync(new WorkItem(WorkKind.Events, chunk, now), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Sets a customer's traits and time zone (Segment's <c>identify</c>); blocks while the queue is full.</summary>
    public void Identify(CustomerProfile profile) => IdentifyAsync(profile).AsTask().GetAwaiter().GetResult();

    /// <summary>Sets a customer's traits and time zone (Segment's <c>identify</c>).</summary>
    /// <exception cref="ArgumentException">The time zone is not a known IANA id.</exception>
    public ValueTask IdentifyAsync(CustomerProfile profile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentException.ThrowIfNullOrEmpty(profile.CustomerId);
        if (profile.TimeZone is { } tz && !TimeZones.TryFind(tz, out _))
        {
            throw new ArgumentException($"'{tz}' is not a known IANA time zone id (such as Asia/Shanghai or America/New_York).", nameof(profile));
        }

        profile = Aliased(profile);
        return Enqueue(profile.CustomerId, new WorkItem(WorkKind.Identify, profile, Now()), cancellationToken);
    }

    /// <summary>Publishes every event of <paramref name="events"/> until it completes or the subscription is disposed.</summary>
    public IDisposable Subscribe(IObservable<CustomerEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return events.Subscribe(Publish, EventSourceFailed);
    }

    /// <summary>Completes when everything published before the call has been applied, handed to the store (when one is
    /// used, so a durable store has it on disk), and its deliveries have ended — with a store, their outbox entries are
    /// removed from it too (see docs/operations.md) — and the answers of those deliveries have been applied too.
    /// <para>A call's answer (<c>call:</c>), and a send that gave up (for a step with <c>on: $failed</c>), come back from
    /// the delivery lanes as new work, which may move the run and deliver again. So a drain goes in rounds: each waits
    /// for the partitions and then for the deliveries; when answers came back during a round, another round applies them
    /// and waits for what they delivered. It ends after the first round in which no answer came back, or after 32
    /// rounds (a chain of calls answered one after another is finite; journeys whose calls
    /// answer into further calls without end would otherwise keep the drain from returning). What is still under way
    /// then is applied by the engine as usual and waited for by the next drain.</para></summary>
    /// <exception cref="Exception">The store failed to save (its exception, such as a
    /// <see cref="Journeys.Diagnostics.JourneyStoreException"/>); the changes are kept and saved again at the next flush.</exception>
    public async Task DrainAsync(CancellationToken cancellationToken = default)
    {
        EnsureRunning();
        var settled = Now(); // every partition's barrier applies and saves what is due by then
        for (var round = 1; ; round++)
        {
            var answered = Volatile.Read(ref _answered);
            await Task.WhenAll(_partitions.Select(p => p.BarrierAsync(cancellationToken))).ConfigureAwait(false);
            if (round == 1)
            {
                await CommitClockAsync(settled, cancellationToken).ConfigureAwait(false);
            }

            await _delivery.WhenDeliveredAsync(cancellationToken).ConfigureAwait(false); // an answer is queued before its delivery ends
            if (Volatile.Read(ref _answered) == answered || round == MaxDrainRounds)
            {
                return;
            }
        }
    }

    /// <summary>The most rounds one <see cref="DrainAsync"/> goes (see there): a chain of up to this many calls, each
    /// answered into the next, is settled by one drain.</summary>
    internal const int MaxDrainRounds = 32;

    /// <summary>Stops accepting work, applies everything queued, delivers the messages queued (retries included) until
    /// <paramref name="cancellationToken"/> is cancelled or the drain deadline
    /// (<see cref="JourneyEngineBuilder.WithDrainTimeout"/>) passes, hands the last changes to the store (a failure there
    /// is reported to <see cref="JourneyEngineBuilder.OnError"/>), and completes <see cref="Decisions"/>.
    /// <para>At the deadline or the token, the channels' tokens are cancelled and no attempt follows: what is not
    /// delivered by then ends neither delivered nor failed. With a store it stays in the store's outbox, and the next
    /// engine started on that store delivers it again (with the same idempotency key); without one it is dropped (and
    /// logged). Cancelling does not make this method throw: it returns once the partitions have stopped and the last
    /// changes are saved. A second call completes when the first one has (its token, too, cuts the delivery short).</para></summary>
    /// <param name="cancellationToken">Ends the drain of deliveries early (a host's shutdown timeout).</param>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        int previous;
        Task? starting;
        lock (_startGate)
        {
            previous = Interlocked.Exchange(ref _state, 2);
            starting = _starting;
        }

        if (previous == 0 && starting is not null)
        {
            await starting.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
                .ConfigureAwait(false); // a start reading the store: its partitions, if any, are disposed below
        }

        if (previous == 2)
        {
            using var also = cancellationToken.Register(static d => ((DeliveryPipeline)d!).Abort(), _delivery);
            await _stopped.Task.ConfigureAwait(false); // say a host's StopAsync is draining: disposal waits for it
            return;
        }

        // The deadline runs on the clock the deliveries wait on (by default the engine's), so a FakeTimeProvider reaches it
        // when the test moves time.
        using var deadline = _drainTimeout == Timeout.InfiniteTimeSpan ? new CancellationTokenSource() : new CancellationTokenSource(_drainTimeout, _deliveryTime);
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using var abort = giveUp.Token.Register(static d => ((DeliveryPipeline)d!).Abort(), _delivery);
        try
        {
            foreach (var partition in _partitions)
            {
                await partition.DisposeAsync().ConfigureAwait(false);
            }

            await _delivery.StopAsync().ConfigureAwait(false); // after the partitions: their last messages are in the lanes
            if (previous == 1 && StoppedClock(Now()) is { } settled)
            {
                try
                {
                    await CommitClockAsync(settled, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    _onError?.Invoke(ex); // the clock stays where it was: the next start makes up no more than it should
                }
            }

            _publisher.Complete();
            if (_delivery.Abandoned > 0)
            {
                _log.DeliveriesLeftAtStop(_delivery.Abandoned, _store is null ? "dropped: the engine has no store" : "kept in the store's outbox for the next start");
            }

            if (previous == 1)
            {
                _log.EngineStopped();
            }
        }
        finally
        {
            _metrics.Dispose();
            _stopped.TrySetResult();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private long Now() => TimeProvider.GetUtcNow().UtcTicks;

    private ValueTask Enqueue(string customerId, WorkItem item, CancellationToken cancellationToken)
    {
        EnsureRunning();
        var partitions = _partitions;
        return partitions[partitions.Length == 1 ? 0 : PartitionOf(customerId, partitions.Length)].EnqueueAsync(item, cancellationToken);
    }

    internal static int PartitionOf(string customerId, int partitions) => CustomerPartitions.Of(customerId, partitions);

    private void EnsureRunning()
    {
        if (Volatile.Read(ref _state) != 1)
        {
            throw new InvalidOperationException(_state == 0 ? "Start the engine before publishing." : "The engine was stopped.");
        }
    }

    /// <summary>The items waiting in all partitions' queues (read by the <c>journeys.queue.depth</c> gauge).</summary>
    internal int QueueDepth()
    {
        var partitions = _partitions;
        var depth = 0;
        if (partitions is not null) // null while the constructor runs
        {
            foreach (var partition in partitions)
            {
                depth += partition.QueueDepth;
            }
        }

        return depth;
    }

    private void PartitionFailed(int partition, Exception ex)
    {
        _log.PartitionWorkerError(partition, ex);
        _onError?.Invoke(ex);
    }

    private void EventSourceFailed(Exception ex)
    {
        _log.EventSourceError(ex);
        _onError?.Invoke(ex);
    }

    /// <summary>A rule failed to evaluate (its <c>failed</c> decision goes out with the others): logged and counted.</summary>
    private void RuleFailed(JourneyDecision decision)
    {
        var why = decision.Why!;
        _metrics.RuleError(why.Rule!);
        _log.RuleFailed(why.Rule!, decision.CustomerId, decision.JourneyId, decision.Step, why.Message!);
    }

    internal DeliveryPipeline Delivery => _delivery;

    /// <summary>A message's final outcome from the delivery pipeline: anything but delivered is a <c>failed</c> decision.
    /// A call's end, and a send's failure, go back to the customer's partition as an answer: a run may wait for it
    /// (<c>on: $done</c>, <c>on: $failed</c>); the partition records a call's <c>called</c> or <c>failed</c> itself. A call
    /// is counted on the actions' instruments (<c>journeys.actions.*</c>), never as a message sent.</summary>
    private void Ended(OutboundMessage message, DeliveryResult result, Exception? exception)
    {
        var delivered = result.Status == DeliveryStatus.Delivered;
        if (CallMessages.IsCall(message))
        {
            _metrics.ActionEnded(message.Channel, delivered, TimeProvider.GetUtcNow() - message.Timestamp);
            if (!delivered)
            {
                _log.CallFailed(message.Channel, message.JourneyId, message.Step, message.IdempotencyKey, result.Reason ?? result.Status.ToString(), exception);
            }

            Answered(message, result);
            return;
        }

        if (!delivered)
        {
            Failed(message, result.Reason ?? result.Status.ToString(), exception);
            Answered(message, result);
            return;
        }

        _metrics.MessageSent(message.Channel, delivered: true);
        _metrics.DeliveryLatency(message.Channel, delivered: true, TimeProvider.GetUtcNow() - message.Timestamp);
    }

    /// <summary>Hands an answer to the customer's partition and counts it, so a drain under way knows it has new work to
    /// wait for (<see cref="DrainAsync"/>).</summary>
    private void Answered(OutboundMessage message, DeliveryResult result)
    {
        Interlocked.Increment(ref _answered);
        PartitionOfMessage(message).OnAnswered(message, result);
    }

    private Partition PartitionOfMessage(OutboundMessage message) => _partitions[PartitionOf(message.CustomerId, _partitions.Length)];

    /// <summary>An attempt failed and another will follow: the message's partition records the count with its store.</summary>
    private void Retrying(OutboundMessage message, int attempt) =>
        _partitions[PartitionOf(message.CustomerId, _partitions.Length)].OnAttemptFailed(message, attempt);

    private void Failed(OutboundMessage message, string reason, Exception? exception)
    {
        _metrics.MessageSent(message.Channel, delivered: false);
        _metrics.DeliveryLatency(message.Channel, delivered: false, TimeProvider.GetUtcNow() - message.Timestamp);
        _log.DeliveryFailed(message.Channel, message.JourneyId, message.Step, message.IdempotencyKey, reason, exception);
        _publisher.Publish(JourneyDecision.DeliveryFailed(message, TimeProvider.GetUtcNow(), reason));
    }
}
