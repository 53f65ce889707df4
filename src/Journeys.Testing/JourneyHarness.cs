using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.State;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Testing;

/// <summary>Runs your journeys in virtual time, for your own tests: a started <see cref="JourneyEngine"/> on a
/// <see cref="FakeTimeProvider"/>, with a <see cref="RecordingChannel"/> that stands in for every channel the journeys
/// name. Publish events and profiles, move the clock forward, then read what the engine decided
/// (<see cref="Decisions"/>) and what it sent (<see cref="Sent"/>). Time moves only through <see cref="AdvanceAsync"/>
/// and <see cref="AdvanceToAsync"/>; every call that changes something returns once the engine has applied it and its
/// deliveries have ended, so a test reads the outcome right after the call. See docs/testing.md.</summary>
/// <example><code>
/// await using var harness = JourneyHarness.FromFolder("journeys");
/// await harness.PublishAsync("c1", "signed_up");
/// await harness.AdvanceAsync(TimeSpan.FromDays(7));
/// Assert.Contains(harness.Decisions, d => d is { CustomerId: "c1", Kind: DecisionKind.Moved, Step: "consult" });
/// Assert.Equal(["nurture/guide", "nurture/consult-call"], harness.Sent.Select(m => m.Template));
/// </code></example>
public sealed class JourneyHarness : IAsyncDisposable
{
    /// <summary>How long, by the wall clock, a call waits for the engine before it fails with a
    /// <see cref="TimeoutException"/>: a bug then fails the test instead of hanging the run. Virtual time is not
    /// affected.</summary>
    public static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(60);

    private readonly DecisionLog _decisions = new();
    private readonly List<Exception> _errors = [];
    private readonly RecordingChannel _channel = new();
    private readonly IDisposable _subscription;

    private JourneyHarness(JourneyCatalog catalog, JourneyHarnessOptions? options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        options ??= new JourneyHarnessOptions();
        Time = new FakeTimeProvider(options.Start);
        var builder = new JourneyEngineBuilder()
            .UseCatalog(catalog)
            .AddChannel(_channel)
            .UseTimeProvider(Time)
            .WithPartitions(options.Partitions)
            .OnError(ex =>
            {
                lock (_errors)
                {
                    _errors.Add(ex);
                }
            });
        options.ConfigureEngine?.Invoke(builder);
        Engine = builder.Build();
        _subscription = Engine.Decisions.Subscribe(_decisions);
        Engine.Start();
    }

    /// <summary>Where virtual time starts unless <see cref="JourneyHarnessOptions.Start"/> says otherwise:
    /// Monday 5 January 2026, 10:00 UTC.</summary>
    public static DateTimeOffset DefaultStart { get; } = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The engine's clock; <see cref="AdvanceAsync"/> moves it and waits for the engine, which moving it
    /// directly does not.</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>The started engine, to publish to or observe directly.</summary>
    public JourneyEngine Engine { get; }

    /// <summary>The virtual time now.</summary>
    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>Every decision so far, in the order the engine made them.</summary>
    public IReadOnlyList<JourneyDecision> Decisions => _decisions.Snapshot();

    /// <summary>Every message the recording channel received so far, in arrival order: the sends on every channel name
    /// no channel of <see cref="JourneyHarnessOptions.ConfigureEngine"/> serves.</summary>
    public IReadOnlyList<OutboundMessage> Sent => [.. _channel.Messages];

    /// <summary>What the engine reported to <see cref="JourneyEngineBuilder.OnError"/> (a failing store, say); empty
    /// when <see cref="JourneyHarnessOptions.ConfigureEngine"/> sets a handler of its own.</summary>
    public IReadOnlyList<Exception> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>A started harness on the journey folder <paramref name="folder"/> (journeys, <c>policy.yaml</c>,
    /// <c>rules/</c>, <c>templates/</c>).</summary>
    /// <param name="folder">The folder, as <see cref="JourneyLoader.LoadFolder"/> reads it.</param>
    /// <param name="options">The start time, partitions and further engine settings; null for the defaults.</param>
    /// <returns>The started harness; dispose it to stop the engine.</returns>
    /// <exception cref="Diagnostics.JourneyLoadException">The folder's definitions have errors; its message lists them
    /// as <c>file:line:column</c>.</exception>
    public static JourneyHarness FromFolder(string folder, JourneyHarnessOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        return new JourneyHarness(JourneyLoader.LoadFolder(folder), options);
    }

    /// <summary>A started harness on journey files given as text, with the default options.</summary>
    /// <param name="files">Each file's name (its extension and folder say what it is, as in a journey folder:
    /// <c>nurture.yaml</c>, <c>policy.yaml</c>, <c>rules/vip.yaml</c>, <c>templates/...</c>) and its text.</param>
    /// <returns>The started harness; dispose it to stop the engine.</returns>
    /// <exception cref="Diagnostics.JourneyLoadException">The definitions have errors.</exception>
    public static JourneyHarness FromYaml(params (string FileName, string Yaml)[] files) => FromYaml(new JourneyHarnessOptions(), files);

    /// <summary>A started harness on journey files given as text.</summary>
    /// <param name="options">The start time, partitions and further engine settings.</param>
    /// <param name="files">Each file's name and text, as for the <c>FromYaml</c> without options.</param>
    /// <returns>The started harness; dispose it to stop the engine.</returns>
    /// <exception cref="Diagnostics.JourneyLoadException">The definitions have errors.</exception>
    public static JourneyHarness FromYaml(JourneyHarnessOptions options, params (string FileName, string Yaml)[] files)
    {
        ArgumentNullException.ThrowIfNull(files);
        return new JourneyHarness(JourneyLoader.LoadYaml(files), options);
    }

    /// <summary>A started harness on a catalog you loaded.</summary>
    /// <param name="catalog">The journeys, policy, rules and templates.</param>
    /// <param name="options">The start time, partitions and further engine settings; null for the defaults.</param>
    /// <returns>The started harness; dispose it to stop the engine.</returns>
    /// <exception cref="Diagnostics.JourneyLoadException">The catalog has errors.</exception>
    public static JourneyHarness FromCatalog(JourneyCatalog catalog, JourneyHarnessOptions? options = null) => new(catalog, options);

    /// <summary>Publishes an event at the virtual time now (unless it carries its own timestamp) and waits until the
    /// engine has applied it and delivered what it decided.</summary>
    /// <param name="customerEvent">The event.</param>
    /// <returns>A task that completes once the event's outcome can be read.</returns>
    public async Task PublishAsync(CustomerEvent customerEvent)
    {
        await Engine.PublishAsync(customerEvent).AsTask().WaitAsync(SafetyTimeout, TimeProvider.System).ConfigureAwait(false);
        await DrainAsync().ConfigureAwait(false);
    }

    /// <summary>Publishes the event <paramref name="eventType"/> of <paramref name="customerId"/> at the virtual time
    /// now, as <see cref="PublishAsync(CustomerEvent)"/> does.</summary>
    /// <param name="customerId">The customer's id.</param>
    /// <param name="eventType">The event's type, such as <c>order_completed</c>.</param>
    /// <param name="properties">The event's properties; null for none.</param>
    /// <returns>A task that completes once the event's outcome can be read.</returns>
    public Task PublishAsync(string customerId, string eventType, IReadOnlyDictionary<string, object?>? properties = null) =>
        PublishAsync(new CustomerEvent(customerId, eventType, properties: properties));

    /// <summary>Sets a customer's traits and time zone (an <c>identify</c>) and waits until the engine has applied it
    /// and delivered what it decided.</summary>
    /// <param name="profile">The traits and time zone.</param>
    /// <returns>A task that completes once the profile's outcome can be read.</returns>
    public async Task IdentifyAsync(CustomerProfile profile)
    {
        await Engine.IdentifyAsync(profile).AsTask().WaitAsync(SafetyTimeout, TimeProvider.System).ConfigureAwait(false);
        await DrainAsync().ConfigureAwait(false);
    }

    /// <summary>Moves virtual time forward by <paramref name="by"/> and waits until the engine has applied everything
    /// that came due — each timer at its own due time — and delivered what it decided.</summary>
    /// <param name="by">How far to move; not negative.</param>
    /// <returns>A task that completes once the outcome can be read.</returns>
    public async Task AdvanceAsync(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Time.Advance(by);
        await DrainAsync().ConfigureAwait(false);
    }

    /// <summary>Moves virtual time forward to <paramref name="instant"/>, as <see cref="AdvanceAsync"/> does.</summary>
    /// <param name="instant">The new time; not before <see cref="Now"/>.</param>
    /// <returns>A task that completes once the outcome can be read.</returns>
    public Task AdvanceToAsync(DateTimeOffset instant)
    {
        var now = Now;
        if (instant < now)
        {
            throw new ArgumentOutOfRangeException(nameof(instant), instant, $"Virtual time only moves forward; it is {now:O} now.");
        }

        return AdvanceAsync(instant - now);
    }

    /// <summary>Waits until the engine has applied everything published so far and delivered what it decided (see
    /// <see cref="JourneyEngine.DrainAsync"/>), for work published to <see cref="Engine"/> directly — the answers of
    /// what it delivered included: a call's answer, or a send that gave up (for a step with <c>on: $failed</c>), and
    /// what they moved and delivered in turn.</summary>
    /// <returns>A task that completes once the outcome can be read.</returns>
    public Task DrainAsync() => Engine.DrainAsync().WaitAsync(SafetyTimeout, TimeProvider.System);

    /// <summary>Stops the engine (it applies and delivers what is queued first).</summary>
    /// <returns>A task that completes when the engine has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await Engine.StopAsync().WaitAsync(SafetyTimeout, TimeProvider.System).ConfigureAwait(false);
        _subscription.Dispose();
    }

    /// <summary>Collects the engine's decisions as they are published, from any partition's thread.</summary>
    private sealed class DecisionLog : IObserver<JourneyDecision>
    {
        private readonly List<JourneyDecision> _decisions = [];

        public JourneyDecision[] Snapshot()
        {
            lock (_decisions)
            {
                return [.. _decisions];
            }
        }

        public void OnNext(JourneyDecision value)
        {
            lock (_decisions)
            {
                _decisions.Add(value);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
