using Journeys.Engine;
using Journeys.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;
using Orleans.Streams;

namespace Journeys.Orleans;

/// <summary>A shard: its activation builds and starts a one-partition <see cref="JourneyEngine"/> over the shard's stored
/// state (which redelivers its outbox and fires its overdue timers, in due order), feeds it the inputs calls carry, and
/// keeps the wake-up reminder in step with the engine's earliest timer; its deactivation stops the engine (drain, last
/// save). The engine runs on the thread pool and touches nothing of the grain: it saves through
/// <see cref="ShardStore"/> and hands decisions to the silo's <see cref="IJourneyDecisionSink"/> and, when
/// <see cref="JourneysSiloOptions.DecisionStreamProvider"/> is set, to the shard's decision stream.</summary>
internal sealed class JourneyShardGrain(JourneysSiloOptions options, IServiceProvider services, ILogger<JourneyShardGrain> log)
    : Grain, IJourneyShardGrain, IRemindable
{
    internal const string WakeReminder = "journeys-wake";

    private JourneyEngine? _engine;
    private ShardStore? _store;

    private JourneyEngine Engine => _engine ?? throw new InvalidOperationException("The shard's engine is not running.");

    private ShardStore Store => _store ?? throw new InvalidOperationException("The shard's store is not open.");
    private IDisposable? _subscription;
    private IDisposable? _streamSubscription;
    private ShardDecisionStream? _decisionStream;
    private DateTimeOffset? _reminderNext; // Orleans' clock: when the registered reminder next fires (null: none registered)

    private int Shard => (int)this.GetPrimaryKeyLong();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var storage = services.GetKeyedService<IGrainStorage>(options.StorageName)
                      ?? throw new InvalidOperationException($"No grain storage named '{options.StorageName}' is registered (JourneysSiloOptions.StorageName).");
        _store = new ShardStore(storage, this.GetGrainId(), options.FoldThreshold);
        var builder = new JourneyEngineBuilder()
            .UseCatalog(options.Catalog!)
            .UseTimeProvider(options.TimeProvider)
            .UseLoggerFactory(services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance);
        foreach (var (channel, channelOptions) in options.Channels)
        {
            builder.AddChannel(channel, channelOptions);
        }

        foreach (var (action, actionOptions) in options.Actions)
        {
            builder.AddAction(action, actionOptions);
        }

        options.ConfigureEngine?.Invoke(builder);
        builder.WithPartitions(1).UseStore(_store);
        _engine = builder.Build();
        var sink = services.GetService<IJourneyDecisionSink>();
        var shard = Shard;
        if (sink is not null)
        {
            _subscription = Engine.SubscribeBatches(batch => sink.Write(shard, batch));
        }

        if (options.DecisionStreamProvider is { } provider)
        {
            var streams = this.GetStreamProvider(provider); // throws naming the provider when it is not registered
            var stream = streams.GetStream<DecisionRecord>(StreamId.Create(options.DecisionStreamNamespace, shard));
            _decisionStream = new ShardDecisionStream(stream, shard, log);
            _streamSubscription = Engine.SubscribeBatches(_decisionStream.Write);
        }

        await Engine.StartAsync(cancellationToken);
        this.RegisterGrainTimer(SyncReminderAsync, new GrainTimerCreationOptions(options.ReminderSyncPeriod, options.ReminderSyncPeriod) { KeepAlive = false });
        _reminderNext = (await this.GetReminder(WakeReminder)) is null ? null : DateTimeOffset.MaxValue; // registered before, when unknown: set again below
        await SyncReminderAsync();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_engine is null || _store is null)
        {
            return; // the activation failed before the engine was built
        }

        try
        {
            await Engine.StopAsync(cancellationToken);
            await SyncReminderAsync();
            if (_decisionStream is not null)
            {
                await _decisionStream.FlushAsync().WaitAsync(cancellationToken);
            }
        }
        finally
        {
            _subscription?.Dispose();
            _streamSubscription?.Dispose();
        }
    }

    public async Task PublishAsync(ShardInput[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var run = new List<CustomerEvent>();
        foreach (var input in inputs)
        {
            if (input.Type is not null)
            {
                run.Add(input.ToEvent());
                continue;
            }

            await FlushAsync(run);
            await Engine.IdentifyAsync(input.ToProfile());
        }

        await FlushAsync(run);
    }

    private async ValueTask FlushAsync(List<CustomerEvent> run)
    {
        if (run.Count > 0)
        {
            await Engine.PublishAsync(run.ToArray());
            run.Clear();
        }
    }

    public async Task DrainAsync()
    {
        await Engine.DrainAsync();
        if (_decisionStream is not null)
        {
            await _decisionStream.FlushAsync(); // the drained batches' decisions are on the stream
        }

        await SyncReminderAsync();
    }

    public Task<CustomerView?> InspectCustomerAsync(string customerId) => Engine.InspectCustomerAsync(customerId);

    public async Task<ForgetResult> ForgetAsync(string customerId)
    {
        var result = await Engine.ForgetAsync(customerId);
        await SyncReminderAsync(); // the erased customer's timers and outbox rows are gone
        return result;
    }

    public Task<bool> SetJourneyPausedAsync(string journeyId, bool paused) =>
        paused ? Engine.PauseJourneyAsync(journeyId) : Engine.ResumeJourneyAsync(journeyId);

    public Task<DateTimeOffset?> NextTimerDueAsync() => Task.FromResult(Engine.NextTimerDue);

    public async Task<bool> HasWakeReminderAsync() => await this.GetReminder(WakeReminder) is not null;

    public Task<SiloAddress> SiloAsync() => Task.FromResult(services.GetRequiredService<ILocalSiloDetails>().SiloAddress);

    public async Task<StoredCustomers> StoredCustomersAsync()
    {
        var (snapshot, changes) = await Store.StoredCustomerIdsAsync();
        return new StoredCustomers(snapshot, changes);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // Being active is the point: the activation started the engine, which caught up. It repeats every period.
        _reminderNext = TimeProvider.System.GetUtcNow() + options.ReminderSyncPeriod;
        return SyncReminderAsync();
    }

    /// <summary>Registers the wake-up reminder for the earliest due timer (in whole steps of the reminder granularity from
    /// now, at least one), or a
    /// period from now while the saved outbox holds messages; removes it when nothing is pending. Writes to the reminder
    /// table only when the reminder would fire too late, or is not wanted any more.</summary>
    private async Task SyncReminderAsync()
    {
        var period = options.ReminderSyncPeriod;
        var engineNow = options.TimeProvider.GetUtcNow();
        var wanted = Engine.NextTimerDue;
        if (Store.OutboxCount > 0 && (wanted is null || wanted > engineNow + period))
        {
            wanted = engineNow + period;
        }

        if (wanted is null)
        {
            if (_reminderNext is not null && await this.GetReminder(WakeReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }

            _reminderNext = null;
            return;
        }

        var now = TimeProvider.System.GetUtcNow(); // Orleans' reminders run on the system clock
        var step = options.ReminderGranularity;
        var due = step * Math.Max(1, Math.Ceiling((wanted.Value - engineNow) / step));
        if (_reminderNext is { } next)
        {
            while (next < now)
            {
                next += period; // a reminder repeats every period once it fired
            }

            if (next <= now + due)
            {
                return; // it fires in time already
            }
        }

        await this.RegisterOrUpdateReminder(WakeReminder, due, period);
        _reminderNext = now + due;
        log.LogDebug("Shard {Shard} wakes in {Due} for its timer due {Wanted:O}", Shard, due, wanted);
    }
}
