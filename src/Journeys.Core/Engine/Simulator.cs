using Journeys.Compilation;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Interchange;
using Journeys.Language.Loading;
using Journeys.Telemetry;

namespace Journeys.Engine;

/// <summary>Runs a catalog over recorded inputs in virtual time, on one processor, synchronously: inputs in timestamp
/// order (ties in file order), timers fired between them at their due time, up to <c>until</c>. Deterministic: the
/// same inputs give the same decisions, in (time, customer, sequence) order.</summary>
/// <remarks>What <c>journeys simulate</c> and <c>journeys explain</c> run; read the inputs with
/// <see cref="SegmentReader.ReadFile"/>.</remarks>
public sealed partial class Simulator
{
    private readonly JourneyCatalog _catalog;
    private readonly IChannel _channel;

    /// <summary>Prepares a run of <paramref name="catalog"/>, whose sends go to <paramref name="channel"/>.</summary>
    /// <param name="catalog">The journeys, policy, rules and templates; loaded without errors.</param>
    /// <param name="channel">Where messages go; a <see cref="RecordingChannel"/> for every channel name when null. A
    /// message it does not deliver is a <see cref="DecisionKind.Failed"/> decision.</param>
    /// <exception cref="Diagnostics.JourneyLoadException">The catalog has errors.</exception>
    public Simulator(JourneyCatalog catalog, IChannel? channel = null)
        : this(catalog, channel, [])
    {
    }

    /// <summary>Prepares a run of <paramref name="catalog"/>, whose sends go to <paramref name="channel"/> and whose calls
    /// (<c>call:</c>) go to <paramref name="actions"/>, by name, answered at the instant of the call; an action not among
    /// them answers <c>{}</c>.</summary>
    /// <param name="catalog">The journeys, policy, rules and templates; loaded without errors.</param>
    /// <param name="channel">Where messages go; a <see cref="RecordingChannel"/> for every channel name when null.</param>
    /// <param name="actions">The actions that answer calls; one attempt each (no retries in a simulation).</param>
    /// <exception cref="Diagnostics.JourneyLoadException">The catalog has errors.</exception>
    /// <exception cref="ArgumentException">Two actions have one name.</exception>
    public Simulator(JourneyCatalog catalog, IChannel? channel, IEnumerable<IJourneyAction> actions)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(actions);
        _catalog = catalog.ThrowIfInvalid();
        _channel = channel ?? new RecordingChannel();
        _actions = new Dictionary<string, IJourneyAction>(StringComparer.Ordinal);
        foreach (var action in actions)
        {
            if (!_actions.TryAdd(action.Name, action))
            {
                throw new ArgumentException($"two actions are named '{action.Name}'", nameof(actions));
            }
        }
    }

    private readonly Dictionary<string, IJourneyAction> _actions;

    /// <summary>What a simulation does with a message the processor decided: a send goes to the channel (one that is
    /// not delivered is a <c>failed</c> decision, and an answer for <c>on: $failed</c>); a call is answered by its action
    /// (<c>{}</c> when none has its name), the answer queued for the run at the same instant.</summary>
    internal Action<OutboundMessage> Deliver(IDecisionSink sink, Func<PartitionProcessor> processor) => message =>
    {
        if (CallMessages.IsCall(message))
        {
            var answer = _actions.TryGetValue(message.Channel, out var action)
                ? Answer(action, message)
                : CallMessages.ToDelivery(ActionResult.Done());
            processor().QueueAnswer(message, answer);
            return;
        }

        var result = Wait(_channel.SendAsync(message, CancellationToken.None));
        if (result.Status != DeliveryStatus.Delivered)
        {
            sink.Emit(JourneyDecision.DeliveryFailed(message, message.Timestamp, result.Reason));
            processor().QueueAnswer(message, result);
        }
    };

    /// <summary>The result of <paramref name="pending"/>, waited for: read in place when it has completed (a channel or
    /// action that answers at once, as a simulation's do, costs no <see cref="Task"/>), else through a task.</summary>
    private static T Wait<T>(ValueTask<T> pending) =>
        pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

    private static DeliveryResult Answer(IJourneyAction action, OutboundMessage message)
    {
        try
        {
            return CallMessages.ToDelivery(Wait(action.InvokeAsync(CallMessages.ToRequest(message), CancellationToken.None)));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return DeliveryResult.Permanent(ex.Message); // one attempt: what would have been retried gives up here
        }
    }

    /// <summary>Runs the inputs up to <paramref name="until"/>. <paramref name="applying"/>, if given, is told of each input
    /// just before it is applied, after the timers due by its time have fired, with the sequence number the decisions it
    /// causes will start from (their <see cref="JourneyDecision.Sequence"/>): so a timeline can place the input among
    /// the decisions in the order they were made.</summary>
    /// <param name="inputs">The inputs, run in timestamp order (ties in line order).</param>
    /// <param name="until">When the run ends; null for the last input's time.</param>
    /// <param name="applying">Told of each input just before it is applied, or null.</param>
    /// <returns>Every decision, in (time, customer, sequence) order.</returns>
    public List<JourneyDecision> Run(IEnumerable<SegmentInput> inputs, DateTimeOffset? until, Action<SegmentInput, long>? applying = null)
    {
        var decisions = new List<JourneyDecision>();
        var sink = new ListSink(decisions);
        PartitionProcessor? processor = null;
        processor = new PartitionProcessor(new RuntimeModel(_catalog), sink, Deliver(sink, () => processor!));

        var ordered = inputs.OrderBy(i => i.Timestamp.UtcTicks).ThenBy(i => i.Line).ToList();
        var end = until?.UtcTicks ?? (ordered.Count > 0 ? ordered[^1].Timestamp.UtcTicks : 0);
        foreach (var input in ordered)
        {
            var now = input.Timestamp.UtcTicks;
            if (now > end)
            {
                break;
            }

            if (applying is not null)
            {
                processor.AdvanceTo(now); // what Process and Identify do first; done here so the timers' decisions come before the mark
                applying(input, sink.NextSequence);
            }

            if (input.Event is { } e)
            {
                processor.Process(e, now);
            }
            else
            {
                processor.Identify(input.Profile!, now);
            }
        }

        processor.AdvanceTo(end);
        decisions.Sort(static (a, b) =>
        {
            var c = a.Timestamp.UtcTicks.CompareTo(b.Timestamp.UtcTicks);
            if (c == 0)
            {
                c = string.CompareOrdinal(a.CustomerId, b.CustomerId);
            }

            return c != 0 ? c : a.Sequence.CompareTo(b.Sequence);
        });
        return decisions;
    }

    private sealed class ListSink(List<JourneyDecision> list) : IDecisionSink
    {
        /// <summary>The sequence number of the processor's next decision (a failed delivery's is <see cref="long.MaxValue"/>).</summary>
        public long NextSequence { get; private set; }

        public void Emit(JourneyDecision decision)
        {
            list.Add(decision);
            if (decision.Sequence != long.MaxValue)
            {
                NextSequence = decision.Sequence + 1;
            }
        }
    }
}
