using System.Diagnostics.Metrics;
using Journeys.Delivery;
using Journeys.Language.Loading;
using Journeys.Persistence;
using Journeys.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Journeys.Engine;

/// <summary>Collects what an engine needs and checks it all in one pass when <see cref="Build"/> is called, reporting
/// every wrong setting in one message.</summary>
/// <example><code>
/// await using var engine = new JourneyEngineBuilder()
///     .LoadFolder("journeys")
///     .AddChannel(new RecordingChannel())
///     .UseTimeProvider(TimeProvider.System)
///     .Build()
///     .Start();
/// engine.Publish(new CustomerEvent("c1", "signed_up"));
/// </code></example>
public sealed class JourneyEngineBuilder
{
    private readonly List<IChannel> _channels = [];
    private readonly Dictionary<IChannel, ChannelDeliveryOptions> _delivery = new(ReferenceEqualityComparer.Instance);
    private readonly List<(IJourneyAction Action, ChannelDeliveryOptions Options)> _actions = [];
    private JourneyCatalog? _catalog;
    private TimeProvider _time = TimeProvider.System;
    private TimeProvider? _deliveryTime;
    private readonly JourneyEngineOptions _options = new();
    private Action<Exception>? _onError;
    private IJourneyStore? _store;
    private ILoggerFactory _loggerFactory = NullLoggerFactory.Instance;
    private IMeterFactory? _meterFactory;

    /// <summary>Loads the journeys from a folder (see <see cref="JourneyLoader.LoadFolder"/>).</summary>
    public JourneyEngineBuilder LoadFolder(string folder) => UseCatalog(JourneyLoader.LoadFolder(folder));

    /// <summary>Uses an already loaded catalog.</summary>
    public JourneyEngineBuilder UseCatalog(JourneyCatalog catalog)
    {
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        return this;
    }

    /// <summary>Registers a channel adapter under its <see cref="IChannel.Name"/> (a <see cref="RecordingChannel"/>
    /// named <c>*</c> serves every channel name), delivered as <paramref name="options"/> say: queue, concurrency, and
    /// the resilience pipeline the engine builds for it — retries, circuit breaker, rate limit, attempt timeout (default:
    /// <see cref="ChannelDeliveryOptions"/>'s defaults). The channel makes one attempt per send.</summary>
    public JourneyEngineBuilder AddChannel(IChannel channel, ChannelDeliveryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _channels.Add(channel);
        _delivery[channel] = options ?? new ChannelDeliveryOptions();
        return this;
    }

    /// <summary>Registers an action under its <see cref="IJourneyAction.Name"/>, for steps that <c>call: { action: NAME }</c>.
    /// Calls are delivered as sends are: through the outbox (durable in the store, the same idempotency key after a
    /// restart), on a lane of the action's own, under the resilience pipeline <paramref name="options"/> describe
    /// (default: <see cref="ChannelDeliveryOptions"/>'s defaults). The action makes one attempt per
    /// <see cref="IJourneyAction.InvokeAsync"/>.</summary>
    public JourneyEngineBuilder AddAction(IJourneyAction action, ChannelDeliveryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        _actions.Add((action, options ?? new ChannelDeliveryOptions()));
        return this;
    }

    /// <summary>Registers several actions at once, each as <see cref="AddAction"/> does, under the same
    /// <paramref name="options"/>: the fixed answers of an actions file in one line,
    /// <c>builder.AddActions(ActionAnswers.ReadFile("actions.json"))</c>.</summary>
    public JourneyEngineBuilder AddActions(IEnumerable<IJourneyAction> actions, ChannelDeliveryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(actions);
        foreach (var action in actions)
        {
            AddAction(action, options);
        }

        return this;
    }

    /// <summary>The clock (default <see cref="TimeProvider.System"/>); tests pass a <c>FakeTimeProvider</c>.</summary>
    public JourneyEngineBuilder UseTimeProvider(TimeProvider timeProvider)
    {
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        return this;
    }

    /// <summary>The clock the delivery lanes wait on — retry backoff, attempt timeouts, rate-limit refills, circuit
    /// breaks, and the deadline of <see cref="JourneyEngine.StopAsync"/>'s drain (default: the engine's clock,
    /// <see cref="UseTimeProvider"/>). A host that runs the journeys in virtual time and moves the fake clock from the
    /// same loop that publishes passes <see cref="TimeProvider.System"/> here: back-pressure holds that loop while a lane
    /// is full, so a delivery waiting on the fake clock (a retry's backoff, say) would wait for a clock nobody moves, and
    /// the engine would stop for good (docs/embedding.md, "Time"). Tests of retries and rate limits leave it unset and
    /// move the fake clock themselves.</summary>
    public JourneyEngineBuilder UseDeliveryTimeProvider(TimeProvider timeProvider)
    {
        _deliveryTime = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        return this;
    }

    /// <summary>Where the engine logs (default: nowhere, <see cref="NullLoggerFactory"/>): start and stop, a partition
    /// worker's errors, failed deliveries. The category is <c>Journeys.Engine.JourneyEngine</c>.</summary>
    public JourneyEngineBuilder UseLoggerFactory(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory));
        return this;
    }

    /// <summary>Creates the engine's <c>Journeys</c> meter from a host's factory (default: the engine makes its own
    /// meter and disposes it when it stops). Either way the instruments are the same; see docs/embedding.md.</summary>
    public JourneyEngineBuilder UseMeterFactory(IMeterFactory meterFactory)
    {
        _meterFactory = meterFactory ?? throw new ArgumentNullException(nameof(meterFactory));
        return this;
    }

    /// <summary>Sets the engine's settings at once (each also has a <c>With...</c> method); checked, with every other
    /// setting, when the engine is built.</summary>
    /// <param name="configure">Changes the options, whose defaults are stated on <see cref="JourneyEngineOptions"/>.</param>
    public JourneyEngineBuilder Configure(Action<JourneyEngineOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(_options);
        return this;
    }

    /// <summary>Sets <see cref="JourneyEngineOptions.Partitions"/> (its default and range are stated there).</summary>
    public JourneyEngineBuilder WithPartitions(int partitions)
    {
        _options.Partitions = partitions;
        return this;
    }

    /// <summary>Sets <see cref="JourneyEngineOptions.QueueCapacity"/>. An item is one event or profile update, or one chunk
    /// of up to 64 events published together with
    /// <see cref="JourneyEngine.PublishAsync(IReadOnlyList{CustomerEvent}, CancellationToken)"/>.</summary>
    public JourneyEngineBuilder WithQueueCapacity(int capacity)
    {
        _options.QueueCapacity = capacity;
        return this;
    }

    /// <summary>Sets <see cref="JourneyEngineOptions.CatchUpLimit"/>: how many due timers a partition fires in one turn
    /// before it saves and lets queued inputs in. After an outage — or when many timers come due at once — the overdue
    /// timers fire in due order, this many per turn, with live events applied between turns; a customer's own overdue
    /// timers still fire before that customer's next input.</summary>
    public JourneyEngineBuilder WithCatchUpLimit(int timersPerTurn)
    {
        _options.CatchUpLimit = timersPerTurn;
        return this;
    }

    /// <summary>Suppresses a send decided more than <paramref name="lateness"/> after its time — a step timer or a
    /// waiting send that came due while no engine ran, fired in a catch-up — with the reason <c>stale</c>, instead of
    /// sending it late (<see cref="JourneyEngineOptions.MaxSendLateness"/>; null: every send goes out however late).</summary>
    public JourneyEngineBuilder WithMaxSendLateness(TimeSpan? lateness)
    {
        _options.MaxSendLateness = lateness;
        return this;
    }

    /// <summary>Sets <see cref="JourneyEngineOptions.ScheduleMakeUp"/>: how old a <c>schedule:</c> occurrence missed while no
    /// engine ran may be and still be made up at start (default 24 hours; null or <see cref="TimeSpan.Zero"/>: none is).</summary>
    public JourneyEngineBuilder WithScheduleMakeUp(TimeSpan? within)
    {
        _options.ScheduleMakeUp = within;
        return this;
    }

    /// <summary>Sets <see cref="JourneyEngineOptions.DrainTimeout"/>: how long <see cref="JourneyEngine.StopAsync"/> goes on
    /// delivering the messages already decided.</summary>
    public JourneyEngineBuilder WithDrainTimeout(TimeSpan timeout)
    {
        _options.DrainTimeout = timeout;
        return this;
    }

    /// <summary>Keeps customers' state, and the delivery outbox, in <paramref name="store"/> so a new engine resumes where
    /// this one stopped and delivers again what was decided but not known delivered (default: none; the partitions' memory
    /// is the only state, as simulation and tests want).</summary>
    public JourneyEngineBuilder UseStore(IJourneyStore store)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        return this;
    }

    /// <summary>Called with exceptions from a partition worker or an event source, after they are logged; the engine
    /// carries on.</summary>
    public JourneyEngineBuilder OnError(Action<Exception> onError)
    {
        _onError = onError;
        return this;
    }

    /// <summary>Checks the configuration and builds the engine (not yet started).</summary>
    /// <exception cref="InvalidOperationException">Something is missing or wrong; the message lists every problem.</exception>
    /// <exception cref="Journeys.Diagnostics.JourneyLoadException">The journey definitions have errors.</exception>
    public JourneyEngine Build()
    {
        var problems = new List<string>();
        if (_catalog is null)
        {
            problems.Add("No journeys: call LoadFolder(folder) or UseCatalog(catalog).");
        }

        problems.AddRange(_options.Problems(setting => "With" + setting));
        if (_options.IdleEviction is not null && _store is not Persistence.ICustomerControlStore)
        {
            problems.Add(_store is null
                ? "IdleEviction: an evicted customer is loaded back from the store; call UseStore(store) too, or leave IdleEviction null."
                : $"IdleEviction: the store {_store.GetType().Name} cannot load one customer back (it does not implement ICustomerControlStore); leave IdleEviction null.");
        }


        problems.AddRange(_channels.SelectMany(c => _delivery[c].Validate(c.Name)));

        foreach (var duplicate in _channels.GroupBy(c => c.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"AddChannel: two channels are named '{duplicate.Key}'.");
        }

        if (_catalog is { HasErrors: false } catalog && _channels.All(c => c.Name != RecordingChannel.AnyName))
        {
            var registered = _channels.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var missing in catalog.Journeys.SelectMany(j => j.Steps).SelectMany(s => s.Sends)
                         .Select(s => s.Channel).Distinct(StringComparer.Ordinal).Where(n => !registered.Contains(n)).Order(StringComparer.Ordinal))
            {
                problems.Add($"AddChannel: journeys send on channel '{missing}', but no channel of that name is registered.");
            }
        }

        problems.AddRange(_actions.SelectMany(a => a.Options.Validate(a.Action.Name)));
        foreach (var duplicate in _actions.GroupBy(a => a.Action.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"AddAction: two actions are named '{duplicate.Key}'.");
        }

        if (_catalog is { HasErrors: false } called)
        {
            var actions = _actions.Select(a => a.Action.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var missing in called.Journeys.SelectMany(j => j.Steps).Select(s => s.Call?.Action).OfType<string>()
                         .Distinct(StringComparer.Ordinal).Where(n => !actions.Contains(n)).Order(StringComparer.Ordinal))
            {
                problems.Add($"AddAction: journeys call action '{missing}', but no action of that name is registered.");
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The journey engine is not configured correctly:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
        }

        _catalog!.ThrowIfInvalid();
        return new JourneyEngine(_catalog, _channels.Select(c => (c, _delivery[c])), _time, _deliveryTime ?? _time, _options.Partitions, _options.QueueCapacity, _options.CatchUpLimit,
            _options.MaxSendLateness, _onError, _store, _loggerFactory, _meterFactory, _options.DrainTimeout, EngineLimits.From(_options), _actions)
        {
            IdleEviction = _options.IdleEviction,
            ScheduleMakeUp = _options.ScheduleMakeUp,
        };
    }
}
