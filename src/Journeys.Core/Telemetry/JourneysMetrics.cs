using System.Diagnostics;
using System.Diagnostics.Metrics;
using Journeys.Compilation;
using Journeys.Decisions;
using Journeys.Interpretation;

namespace Journeys.Telemetry;

/// <summary>The engine's instruments on the <c>Journeys</c> meter, and the <c>Journeys</c> activity source, for
/// OpenTelemetry or <c>dotnet-counters</c> to collect.</summary>
/// <remarks>Hot path: every recording method allocates nothing — the tags are cached
/// <see cref="KeyValuePair{TKey,TValue}"/>s (or strings the compiled model already holds) passed to the counters'
/// fixed-arity overloads, or a <see cref="TagList"/> of at most eight, held inline on the stack — and a counter nobody
/// listens to returns at once. Every tag value is a name from the catalog (journey ids, step and channel names, rule
/// names) or one of a fixed set (kinds, reason categories, outcomes): never a customer id, so the number of series is
/// bounded by the catalog.</remarks>
internal sealed class JourneysMetrics : IDisposable, IRunTimings
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = "Journeys";

    public const string EventsProcessed = "journeys.events.processed";
    public const string Decisions = "journeys.decisions";
    public const string MessagesSent = "journeys.messages.sent";
    public const string QueueDepth = "journeys.queue.depth";
    public const string RuleErrors = "journeys.rules.errors";
    public const string StepDuration = "journeys.step.duration";
    public const string GoalDuration = "journeys.goal.duration";
    public const string DeliveryLatencyName = "journeys.delivery.latency";
    public const string OutboxDepth = "journeys.outbox.depth";
    public const string EntriesRefused = "journeys.entries.refused";

    /// <summary>The counter of calls (<c>call:</c>) an action answered, by action.</summary>
    public const string ActionsCalled = "journeys.actions.called";

    /// <summary>The counter of calls that gave up (retries spent, refused, no such action), by action.</summary>
    public const string ActionsFailed = "journeys.actions.failed";

    /// <summary>The histogram of the time from a call's decision to its end, by action and outcome.</summary>
    public const string ActionLatencyName = "journeys.actions.latency";

    public const string ObserverErrors = "journeys.decisions.observer_errors";

    /// <summary>The counter of customers an idle sweep evicted from memory (<c>JourneyEngineOptions.IdleEviction</c>).</summary>
    public const string CustomersEvictedName = "journeys.customers.evicted";

    /// <summary>The counter of evicted customers loaded back from the store by an input.</summary>
    public const string CustomersReloadedName = "journeys.customers.reloaded";

    private static readonly string? Version = typeof(JourneysMetrics).Assembly.GetName().Version?.ToString(3);

    private static readonly KeyValuePair<string, object?> Handled = new("outcome", "handled");
    private static readonly KeyValuePair<string, object?> Ignored = new("outcome", "ignored");
    private static readonly KeyValuePair<string, object?> EventFailed = new("outcome", "failed");
    private static readonly KeyValuePair<string, object?> Delivered = new("outcome", "delivered");
    private static readonly KeyValuePair<string, object?> DeliveryFailed = new("outcome", "failed");
    private static readonly KeyValuePair<string, object?> CallDone = new("outcome", "done");

    // Indexed by DecisionKind; the tag values are the kinds as decisions are written in JSON (entered, sent...).
    private static readonly KeyValuePair<string, object?>[] KindTags = Enum.GetValues<DecisionKind>()
        .Select(k => new KeyValuePair<string, object?>("kind", k.ToString().ToLowerInvariant()))
        .ToArray();

    // Indexed by ReasonKind, then one for a decision without a reason: the reason's category (cap, not cap:normal).
    private static readonly KeyValuePair<string, object?>[] ReasonTags = Enum.GetValues<ReasonKind>()
        .Select(k => Category(k.ToString()))
        .Append("none")
        .Select(c => new KeyValuePair<string, object?>("reason", c))
        .ToArray();

    /// <summary>Bucket bounds in seconds for run durations: a minute to half a year, at the spans journeys are written in
    /// (hours, days, weeks, months); the default bounds, made for milliseconds, would put every run in the last bucket.</summary>
    private static readonly IReadOnlyList<double> RunBuckets =
        [60, 600, 3_600, 6 * 3_600, 86_400, 2 * 86_400, 3 * 86_400, 7 * 86_400, 14 * 86_400, 30 * 86_400, 60 * 86_400, 90 * 86_400, 180 * 86_400];

    /// <summary>Bucket bounds in seconds for delivery latency: 5 ms to an hour (retries with backoff, a rate limit).</summary>
    private static readonly IReadOnlyList<double> LatencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3_600];

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _events;
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _messages;
    private readonly Counter<long> _ruleErrors;
    private readonly Counter<long> _observerErrors;
    private readonly Counter<long> _entriesRefused;
    private readonly Counter<long> _evicted;
    private readonly Counter<long> _reloaded;
    private readonly Counter<long> _actionsCalled;
    private readonly Counter<long> _actionsFailed;
    private readonly Histogram<double> _actionLatency;
    private readonly Histogram<double> _stepDuration;
    private readonly Histogram<double> _goalDuration;
    private readonly Histogram<double> _deliveryLatency;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/> (which owns it), or on a meter of
    /// the engine's own when there is no factory.</summary>
    /// <param name="meterFactory">The host's factory, or null.</param>
    /// <param name="queueDepth">Reads the items waiting in all partitions' queues; called on collection only.</param>
    /// <param name="outboxDepths">Reads the messages waiting per channel, tagged <c>channel</c>; called on collection only.</param>
    public JourneysMetrics(IMeterFactory? meterFactory, Func<int> queueDepth, Func<IEnumerable<Measurement<int>>>? outboxDepths = null)
    {
        var options = new MeterOptions(Name) { Version = Version };
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(options) ?? new Meter(options);
        _events = _meter.CreateCounter<long>(EventsProcessed, "{event}",
            "Events applied by the partitions, by outcome: handled (a journey or an activity aggregate reads the type), ignored (nothing does) or failed (applying it threw).");
        _decisions = _meter.CreateCounter<long>(Decisions, "{decision}",
            "Decisions made, by journey, step, kind (entered, moved, sent, suppressed, deferred, failed, goal, exited, completed, updated, emitted, called), channel (sends; the action for calls) and reason category (cap, quiet-hours, exit, timer...).");
        _messages = _meter.CreateCounter<long>(MessagesSent, "{message}",
            "Messages whose delivery ended, by channel and outcome: delivered or failed (refused, retries exhausted, threw, or no such channel). Calls to actions are not messages: see journeys.actions.*.");
        _actionsCalled = _meter.CreateCounter<long>(ActionsCalled, "{call}",
            "Calls (call:) an action answered, by action.");
        _actionsFailed = _meter.CreateCounter<long>(ActionsFailed, "{call}",
            "Calls (call:) that gave up, by action: refused, retries spent, threw, or no such action.");
        _actionLatency = _meter.CreateHistogram(ActionLatencyName, "s",
            "Time from a call's decision to its end (retries included), by action and outcome (done or failed).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _ruleErrors = _meter.CreateCounter<long>(RuleErrors, "{error}",
            "Rules (rule('Workflow.Rule')) that failed to evaluate for a customer and counted as not holding, by rule; each is also a failed decision.");
        _observerErrors = _meter.CreateCounter<long>(ObserverErrors, "{error}",
            "Decision observers that threw (each is isolated: the decision stands and the other observers get it).");
        _entriesRefused = _meter.CreateCounter<long>(EntriesRefused, "{entry}",
            "Entries refused because an operator paused the journey (JourneyEngine.PauseJourneyAsync), by journey and reason (paused).");
        _evicted = _meter.CreateCounter<long>(CustomersEvictedName, "{customer}",
            "Customers an idle sweep dropped from memory (IdleEviction): no change for the idle time and nothing pending.");
        _reloaded = _meter.CreateCounter<long>(CustomersReloadedName, "{customer}",
            "Evicted customers loaded back from the store because an input for them arrived.");
        _meter.CreateObservableGauge(QueueDepth, queueDepth, "{item}",
            "Items waiting in the partitions' queues (events, profile updates, timer ticks), summed over all partitions.");
        _meter.CreateObservableGauge(OutboxDepth, outboxDepths ?? (() => []), "{message}",
            "Messages waiting for delivery, by channel (not those being sent or waiting for a retry).");
        _stepDuration = _meter.CreateHistogram(StepDuration, "s",
            "How long runs stood at a step, recorded when they leave it (moved, completed, exited), by journey and step.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RunBuckets });
        _goalDuration = _meter.CreateHistogram(GoalDuration, "s",
            "Time from entry to the goal, by journey.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RunBuckets });
        _deliveryLatency = _meter.CreateHistogram(DeliveryLatencyName, "s",
            "Time from a send's decision to the end of its delivery (retries included), by channel and outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
    }

    /// <summary>Spans around channel deliveries (<c>journeys.deliver</c>); <see cref="ActivitySource.StartActivity(string, ActivityKind)"/>
    /// returns null, at the cost of one check, when nobody listens.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name, Version);

    /// <summary>Counts an event applied by a partition: handled when anything read it.</summary>
    public void EventProcessed(bool handled) => _events.Add(1, handled ? Handled : Ignored);

    /// <summary>Counts an event whose application threw.</summary>
    public void EventNotProcessed() => _events.Add(1, EventFailed);

    /// <summary>Counts a decision observer that threw.</summary>
    public void ObserverFailed() => _observerErrors.Add(1);

    /// <summary>Customers an idle sweep evicted.</summary>
    public void CustomersEvicted(int count) => _evicted.Add(count);

    /// <summary>Evicted customers loaded back.</summary>
    public void CustomersReloaded(int count) => _reloaded.Add(count);

    /// <summary>Counts a decision by its journey, step, kind, channel (a send's; absent otherwise) and reason category.
    /// The journey, step and channel are the compiled model's own strings; the tags sit in a stack-held
    /// <see cref="TagList"/>.</summary>
    public void Decision(JourneyDecision decision)
    {
        if (!_decisions.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { "journey", decision.JourneyId },
            { "step", decision.Step },
            KindTags[(int)decision.Kind],
            ReasonTags[decision.Why is { } why ? (int)why.Kind : ReasonTags.Length - 1],
        };
        if (decision.Channel is { } channel)
        {
            tags.Add("channel", channel);
        }

        _decisions.Add(1, in tags);
    }

    /// <inheritdoc/>
    public void LeftStep(CompiledJourney journey, string step, long ticks) =>
        _stepDuration.Record((double)ticks / TimeSpan.TicksPerSecond, new KeyValuePair<string, object?>("journey", journey.Id), new KeyValuePair<string, object?>("step", step));

    /// <inheritdoc/>
    public void ReachedGoal(CompiledJourney journey, long ticks) =>
        _goalDuration.Record((double)ticks / TimeSpan.TicksPerSecond, new KeyValuePair<string, object?>("journey", journey.Id));

    /// <summary>Records how long a message took from its decision to the end of its delivery.</summary>
    public void DeliveryLatency(string channel, bool delivered, TimeSpan latency) =>
        _deliveryLatency.Record(Math.Max(0, latency.TotalSeconds), new KeyValuePair<string, object?>("channel", channel), delivered ? Delivered : DeliveryFailed);

    /// <summary>A reason kind's category as a tag value: <c>QuietHours</c> is <c>quiet-hours</c>.</summary>
    private static string Category(string kind) =>
        string.Concat(kind.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary>Counts a message whose delivery ended, under the channel name the journey used.</summary>
    public void MessageSent(string channel, bool delivered) =>
        _messages.Add(1, new KeyValuePair<string, object?>("channel", channel), delivered ? Delivered : DeliveryFailed);

    /// <summary>Counts a call (<c>call:</c>) that ended, under its action's name: answered (<paramref name="done"/>) or
    /// given up, and the time from its decision to its end.</summary>
    public void ActionEnded(string action, bool done, TimeSpan latency)
    {
        var tag = new KeyValuePair<string, object?>("action", action);
        (done ? _actionsCalled : _actionsFailed).Add(1, tag);
        _actionLatency.Record(Math.Max(0, latency.TotalSeconds), tag, done ? CallDone : DeliveryFailed);
    }

    /// <summary>Counts a rule that failed to evaluate, under its name (<c>Workflow.Rule</c>: a few per catalog). Off the
    /// hot path: a rule fails once per customer until their traits change.</summary>
    public void RuleError(string rule) => _ruleErrors.Add(1, new KeyValuePair<string, object?>("rule", rule));

    /// <summary>Counts an entry refused because its journey is paused, under the journey's id.</summary>
    public void EntryRefused(string journey) =>
        _entriesRefused.Add(1, new KeyValuePair<string, object?>("journey", journey), new KeyValuePair<string, object?>("reason", "paused"));

    /// <summary>Disposes the meter when the engine made it; a factory's meters live as long as the factory.</summary>
    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
