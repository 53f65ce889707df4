using System.Diagnostics;
using System.Diagnostics.Metrics;
using Journeys.Decisions;

namespace Journeys.Telemetry;

/// <summary>The engine's instruments on the <c>Journeys</c> meter, and the <c>Journeys</c> activity source, for
/// OpenTelemetry or <c>dotnet-counters</c> to collect. Hot path: every recording method allocates nothing — the tags are
/// cached <see cref="KeyValuePair{TKey,TValue}"/>s (or the channel name, already a string) passed to the counters'
/// fixed-arity overloads — and a counter nobody listens to returns at once.</summary>
internal sealed class JourneysMetrics : IDisposable
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = "Journeys";

    public const string EventsProcessed = "journeys.events.processed";
    public const string Decisions = "journeys.decisions";
    public const string MessagesSent = "journeys.messages.sent";
    public const string QueueDepth = "journeys.queue.depth";
    public const string RuleErrors = "journeys.rules.errors";

    public const string ObserverErrors = "journeys.decisions.observer_errors";

    private static readonly string? Version = typeof(JourneysMetrics).Assembly.GetName().Version?.ToString(3);

    private static readonly KeyValuePair<string, object?> Handled = new("outcome", "handled");
    private static readonly KeyValuePair<string, object?> Ignored = new("outcome", "ignored");
    private static readonly KeyValuePair<string, object?> EventFailed = new("outcome", "failed");
    private static readonly KeyValuePair<string, object?> Delivered = new("outcome", "delivered");
    private static readonly KeyValuePair<string, object?> DeliveryFailed = new("outcome", "failed");

    // Indexed by DecisionKind; the tag values are the kinds as decisions are written in JSON (entered, sent...).
    private static readonly KeyValuePair<string, object?>[] KindTags = Enum.GetValues<DecisionKind>()
        .Select(k => new KeyValuePair<string, object?>("kind", k.ToString().ToLowerInvariant()))
        .ToArray();

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _events;
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _messages;
    private readonly Counter<long> _ruleErrors;
    private readonly Counter<long> _observerErrors;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/> (which owns it), or on a meter of
    /// the engine's own when there is no factory.</summary>
    /// <param name="meterFactory">The host's factory, or null.</param>
    /// <param name="queueDepth">Reads the items waiting in all partitions' queues; called on collection only.</param>
    public JourneysMetrics(IMeterFactory? meterFactory, Func<int> queueDepth)
    {
        var options = new MeterOptions(Name) { Version = Version };
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(options) ?? new Meter(options);
        _events = _meter.CreateCounter<long>(EventsProcessed, "{event}",
            "Events applied by the partitions, by outcome: handled (a journey or an activity aggregate reads the type), ignored (nothing does) or failed (applying it threw).");
        _decisions = _meter.CreateCounter<long>(Decisions, "{decision}",
            "Decisions made, by kind: entered, moved, sent, suppressed, deferred, failed, goal, exited, completed.");
        _messages = _meter.CreateCounter<long>(MessagesSent, "{message}",
            "Messages whose delivery ended, by channel and outcome: delivered or failed (refused, retries exhausted, threw, or no such channel).");
        _ruleErrors = _meter.CreateCounter<long>(RuleErrors, "{error}",
            "Rules (rule('Workflow.Rule')) that failed to evaluate for a customer and counted as not holding, by rule; each is also a failed decision.");
        _observerErrors = _meter.CreateCounter<long>(ObserverErrors, "{error}",
            "Decision observers that threw (each is isolated: the decision stands and the other observers get it).");
        _meter.CreateObservableGauge(QueueDepth, queueDepth, "{item}",
            "Items waiting in the partitions' queues (events, profile updates, timer ticks), summed over all partitions.");
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

    /// <summary>Counts a decision by its kind.</summary>
    public void Decision(DecisionKind kind) => _decisions.Add(1, KindTags[(int)kind]);

    /// <summary>Counts a message whose delivery ended, under the channel name the journey used.</summary>
    public void MessageSent(string channel, bool delivered) =>
        _messages.Add(1, new KeyValuePair<string, object?>("channel", channel), delivered ? Delivered : DeliveryFailed);

    /// <summary>Counts a rule that failed to evaluate, under its name (<c>Workflow.Rule</c>: a few per catalog). Off the
    /// hot path: a rule fails once per customer until their traits change.</summary>
    public void RuleError(string rule) => _ruleErrors.Add(1, new KeyValuePair<string, object?>("rule", rule));

    /// <summary>Disposes the meter when the engine made it; a factory's meters live as long as the factory.</summary>
    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
