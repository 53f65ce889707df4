using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Runtime.InteropServices;
using Journeys.Delivery;
using Journeys.Loading;
using Journeys.Persistence;

namespace Journeys.Runtime;

/// <summary>The engine: runs every customer through the loaded journeys as events arrive. Build it with
/// <see cref="JourneyEngineBuilder"/>, <see cref="Start"/> it, publish events and profile updates from any thread,
/// observe <see cref="Decisions"/>, and <see cref="StopAsync"/> it to drain.
/// <para>Threading: customers are partitioned by id; each partition is owned by one worker, so a customer's events are
/// applied in the order they were published, without locks. Time: read only through the <see cref="TimeProvider"/>
/// given to the builder; timers fire through it, so a <c>FakeTimeProvider</c> runs months in milliseconds.</para></summary>
public sealed class JourneyEngine : IAsyncDisposable
{
    private readonly Partition[] _partitions;
    private readonly IReadOnlyDictionary<string, IChannel> _channels;
    private readonly IChannel? _anyChannel;
    private readonly ISubject<JourneyDecision> _decisions = Subject.Synchronize(new Subject<JourneyDecision>());
    private readonly ConcurrentDictionary<Task, bool> _inFlight = new();
    private readonly Action<Exception>? _onError;
    private int _state; // 0 built, 1 running, 2 stopped

    internal JourneyEngine(JourneyCatalog catalog, IEnumerable<IChannel> channels, TimeProvider time, int partitions, int queueCapacity,
        Action<Exception>? onError, IJourneyStore? store)
    {
        Catalog = catalog;
        TimeProvider = time;
        _onError = onError;
        var byName = new Dictionary<string, IChannel>(StringComparer.Ordinal);
        foreach (var channel in channels)
        {
            if (channel.Name == RecordingChannel.AnyName)
            {
                _anyChannel = channel;
            }
            else
            {
                byName[channel.Name] = channel;
            }
        }

        _channels = byName;
        Model = new RuntimeModel(catalog);
        var sink = new Sink(this);
        _partitions = Enumerable.Range(0, partitions)
            .Select(_ => new Partition(new PartitionProcessor(Model, sink, Deliver, trackChanges: store is not null), time, queueCapacity, ReportError, store))
            .ToArray();
        foreach (var snapshot in store?.LoadAll() ?? [])
        {
            _partitions[PartitionOf(snapshot.Id, partitions)].Processor.Adopt(SnapshotMapper.FromSnapshot(snapshot, Model));
        }
    }

    /// <summary>The journeys, policy and rules the engine runs.</summary>
    public JourneyCatalog Catalog { get; }

    /// <summary>The clock the engine reads and waits on.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Every decision, as it is made (from the partitions' worker threads, one at a time).</summary>
    public IObservable<JourneyDecision> Decisions => _decisions.AsObservable();

    /// <summary>How many partitions (workers) the engine runs.</summary>
    public int PartitionCount => _partitions.Length;

    internal RuntimeModel Model { get; }

    internal IReadOnlyList<PartitionProcessor> Processors => _partitions.Select(p => p.Processor).ToList();

    /// <summary>Starts the workers. Publishing before this throws.</summary>
    public JourneyEngine Start()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) == 0)
        {
            foreach (var partition in _partitions)
            {
                partition.Start();
            }
        }
        else if (_state == 2)
        {
            throw new InvalidOperationException("The engine was stopped; build a new one.");
        }

        return this;
    }

    /// <summary>Publishes an event; blocks while the customer's partition queue is full (back-pressure).</summary>
    public void Publish(CustomerEvent customerEvent) => PublishAsync(customerEvent).AsTask().GetAwaiter().GetResult();

    /// <summary>Publishes an event; completes when it is queued (waits while the partition queue is full).</summary>
    public ValueTask PublishAsync(CustomerEvent customerEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customerEvent);
        return Enqueue(customerEvent.CustomerId, new WorkItem(WorkKind.Event, customerEvent, Now()), cancellationToken);
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

        return Enqueue(profile.CustomerId, new WorkItem(WorkKind.Identify, profile, Now()), cancellationToken);
    }

    /// <summary>Publishes every event of <paramref name="events"/> until it completes or the subscription is disposed.</summary>
    public IDisposable Subscribe(IObservable<CustomerEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return events.Subscribe(Publish, ReportError);
    }

    /// <summary>Completes when everything published before the call has been applied, handed to the store (when one is
    /// used, so a durable store has it on disk) and its deliveries have ended.</summary>
    /// <exception cref="Exception">The store failed to save (its exception, such as a
    /// <see cref="Diagnostics.JourneyStoreException"/>); the changes are kept and saved again at the next flush.</exception>
    public async Task DrainAsync(CancellationToken cancellationToken = default)
    {
        EnsureRunning();
        await Task.WhenAll(_partitions.Select(p => p.BarrierAsync(cancellationToken))).ConfigureAwait(false);
        await Task.WhenAll(_inFlight.Keys).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops accepting work, applies everything queued, hands the last changes to the store (a failure there is
    /// reported to <see cref="JourneyEngineBuilder.OnError"/>), waits for deliveries in flight, and completes
    /// <see cref="Decisions"/>.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _state, 2) == 2)
        {
            return;
        }

        foreach (var partition in _partitions)
        {
            await partition.DisposeAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(_inFlight.Keys).ConfigureAwait(false);
        _decisions.OnCompleted();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private long Now() => TimeProvider.GetUtcNow().UtcTicks;

    private ValueTask Enqueue(string customerId, WorkItem item, CancellationToken cancellationToken)
    {
        EnsureRunning();
        return _partitions[PartitionOf(customerId, _partitions.Length)].EnqueueAsync(item, cancellationToken);
    }

    internal static int PartitionOf(string customerId, int partitions) =>
        (int)(XxHash3.HashToUInt64(MemoryMarshal.AsBytes(customerId.AsSpan())) % (ulong)partitions);

    private void EnsureRunning()
    {
        if (Volatile.Read(ref _state) != 1)
        {
            throw new InvalidOperationException(_state == 0 ? "Start the engine before publishing." : "The engine was stopped.");
        }
    }

    private void ReportError(Exception ex) => _onError?.Invoke(ex);

    private void Deliver(OutboundMessage message)
    {
        var channel = _channels.TryGetValue(message.Channel, out var c) ? c : _anyChannel;
        if (channel is null)
        {
            Failed(message, $"no channel named '{message.Channel}' is registered");
            return;
        }

        ValueTask<DeliveryResult> pending;
        try
        {
            pending = channel.SendAsync(message, CancellationToken.None);
        }
        catch (Exception ex)
        {
            Failed(message, ex.Message);
            return;
        }

        if (pending.IsCompletedSuccessfully)
        {
            Completed(message, pending.Result);
            return;
        }

        var task = pending.AsTask();
        _inFlight[task] = true;
        task.ContinueWith(t =>
        {
            if (t.IsCompletedSuccessfully)
            {
                Completed(message, t.Result);
            }
            else
            {
                Failed(message, t.Exception?.GetBaseException().Message ?? "cancelled");
            }

            _inFlight.TryRemove(t, out _);
        }, TaskScheduler.Default);
    }

    private void Completed(OutboundMessage message, DeliveryResult result)
    {
        if (result.Status != DeliveryStatus.Delivered)
        {
            Failed(message, result.Reason ?? result.Status.ToString());
        }
    }

    private void Failed(OutboundMessage message, string reason) =>
        _decisions.OnNext(new JourneyDecision
        {
            Timestamp = TimeProvider.GetUtcNow() is var now && now > message.Timestamp ? now : message.Timestamp,
            CustomerId = message.CustomerId,
            JourneyId = message.JourneyId,
            Version = message.JourneyVersion,
            Step = message.Step,
            Kind = DecisionKind.Failed,
            Channel = message.Channel,
            Template = message.Template,
            Reason = reason,
            Sequence = long.MaxValue,
        });

    private sealed class Sink(JourneyEngine engine) : IDecisionSink
    {
        public void Emit(JourneyDecision decision) => engine._decisions.OnNext(decision);
    }
}
