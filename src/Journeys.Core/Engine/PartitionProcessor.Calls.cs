using System.Globalization;
using System.Text.Json;
using Journeys.Compilation;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Interpretation;
using Journeys.Language.Definitions;
using Journeys.Policy;
using Journeys.State;

namespace Journeys.Engine;

// A step's `call:` and the answers that come back: a call leaves through the outbox as a message (CallMessages); its
// end — or the end of a send that gave up — comes back here as an answer, applied to the run that is still waiting at the
// step for it: `called` or `failed`, then its `on: $done` / `on: $failed` transitions.
internal sealed partial class PartitionProcessor
{
    private readonly Queue<(OutboundMessage Message, DeliveryResult Result, int Depth)> _answers = new();
    private int _answerDepth; // how deep in a chain of answers given at one instant the answer being applied is (a simulation's)

    void IJourneyEffects.Call(CustomerState customer, CompiledJourney journey, JourneyInstance instance, CompiledStep step, long now)
    {
        var call = step.Call!;
        var arguments = new Dictionary<string, object?>(call.With.Count, StringComparer.Ordinal);
        if (call.With.Count > 0)
        {
            _ctx.Run = instance; // entry.* reads this run's entering event
            foreach (var (name, expression) in call.With)
            {
                arguments[name] = expression.Evaluate(_ctx).ToObject();
            }

            _decisions.EmitRuleFailures(_ctx, now, customer, journey, instance.Version, step.Name);
        }

        _decisions.Calling(customer.Id, now); // from now on its latest decision is kept, for the answer's instant
        _outbox(new OutboundMessage
        {
            IdempotencyKey = CallKey(journey.Id, instance.Version, customer.Id, instance.Sequence, step.Name),
            Channel = call.Action,
            Template = CallMessages.Template,
            Category = MessageCategory.Operational,
            CustomerId = customer.Id,
            JourneyId = journey.Id,
            JourneyVersion = instance.Version,
            Step = step.Name,
            Timestamp = new DateTimeOffset(now, TimeSpan.Zero),
            EventProperties = arguments,
        });
    }

    /// <summary>A call's idempotency key: a send's key (journey, version, customer, entry, step) ending in <c>call</c>
    /// instead of the send's number, so it stays the same across retries and restarts and never equals a send's.</summary>
    internal static string CallKey(string journey, int version, string customer, int sequence, string step)
    {
        var key = PaceStage.IdempotencyKey(journey, version, customer, sequence, step, 0);
        return string.Concat(key.AsSpan(0, key.Length - 1), "call");
    }

    /// <summary>The engine's way in: the end of <paramref name="message"/>'s delivery, a call's or a failed send's, which
    /// arrived at <paramref name="nowTicks"/> (the partition's clock is moved there first, its due timers fired).
    /// <para>A call's answer is applied as of the call's instant when the customer has had no decision since (the run still
    /// waits in the calling step, and nothing else of the customer's was decided later): what <c>simulate</c> does, and
    /// the honest "as of" time of a call answered milliseconds later. Otherwise it is applied at the customer's latest
    /// decision since the call, never before it, so a customer's decisions stay in time order. The timers the answer's
    /// branch arms count from that instant; those already due by the partition's clock fire at once, at their due times.
    /// A failed send is applied at <paramref name="nowTicks"/> (never before the send).</para></summary>
    public void Answer(OutboundMessage message, DeliveryResult result, long nowTicks)
    {
        AdvanceTo(nowTicks);
        var at = _clock.Ticks;
        if (CallMessages.IsCall(message))
        {
            at = Math.Min(at, Math.Max(message.Timestamp.UtcTicks,
                _decisions.LatestWhileCalling(message.CustomerId) ?? LatestDecidedOf(message.CustomerId)));
        }

        _answerDepth = 1;
        try
        {
            ApplyAnswer(message, result, at, chainTooLong: false);
        }
        finally
        {
            _answerDepth = 0;
        }

        Settle(at);
        if (at < _clock.Ticks)
        {
            AdvanceTo(_clock.Ticks); // the branch's timers already due fire now, each at its due time
        }
    }

    /// <summary>A call asked again after a restart (not known to <see cref="DecisionWriter.LatestWhileCalling"/>): the
    /// latest instant the customer's saved state shows a decision at — a run's entry or arrival at a step, an entry, a
    /// send — or the partition's clock when the customer is not here.</summary>
    private long LatestDecidedOf(string customerId)
    {
        if (!_customers.TryGetValue(customerId, out var customer))
        {
            return _clock.Ticks;
        }

        var latest = 0L;
        foreach (var journey in _model.Journeys)
        {
            ref readonly var memory = ref customer.MemoryOf(journey.Index);
            latest = Math.Max(latest, memory.LastEntryTicks);
            for (var at = customer.RunOf(journey.Index); at is { } run; at = run.NextCase)
            {
                latest = Math.Max(latest, Math.Max(run.EnteredTicks, run.ArrivedTicks));
            }
        }

        foreach (var (ticks, _, _) in customer.SendLog.Entries())
        {
            latest = Math.Max(latest, ticks);
        }

        return latest;
    }

    /// <summary>A simulation's way in, from inside the step that called: the answer is applied after the input being
    /// applied and all its decisions, at the same instant (as an emitted event is). A chain of calls answered at one
    /// instant stops after <see cref="MaxEmitChain"/>: the run then waits at its step.</summary>
    public void QueueAnswer(OutboundMessage message, DeliveryResult result) => _answers.Enqueue((message, result, _answerDepth + 1));

    /// <summary>Applies the next queued answer; false when none is queued.</summary>
    private bool ApplyNextAnswer(long now)
    {
        if (!_answers.TryDequeue(out var next))
        {
            return false;
        }

        _answerDepth = next.Depth;
        try
        {
            ApplyAnswer(next.Message, next.Result, now, next.Depth > MaxEmitChain);
        }
        finally
        {
            _answerDepth = 0;
        }

        return true;
    }

    private void ApplyAnswer(OutboundMessage message, DeliveryResult result, long now, bool chainTooLong)
    {
        var isCall = CallMessages.IsCall(message);
        if (isCall)
        {
            _decisions.Answered(message.CustomerId);
        }

        if (!_customers.TryGetValue(message.CustomerId, out var customer))
        {
            return; // erased or merged away meanwhile
        }

        var (journey, run) = FindRun(customer, message);
        if (journey is null || (!isCall && (run is null || journey.Steps[run.Value.Step] is not { OnFailed.Length: > 0 } at || at.Name != message.Step)))
        {
            return; // the journey is no longer loaded, or a failed send that no run waits for: nothing changes
        }

        MarkDirty(customer);
        _ctx.Customer = customer;
        _ctx.NowTicks = now;
        _ctx.Event = null;
        var failed = result.Status != DeliveryStatus.Delivered;
        if (isCall)
        {
            var reason = chainTooLong
                ? DecisionReason.Delivery(string.Create(CultureInfo.InvariantCulture, $"call-chain:{message.Channel}: more than {MaxEmitChain} calls answered at one instant"))
                : failed ? DecisionReason.Delivery(result.Reason ?? result.Status.ToString())
                : DecisionReason.Called(message.Channel, result.Answer is { } a ? Compact(a) : "{}");
            _decisions.Emit(now, customer, journey, message.JourneyVersion, message.Step, failed || chainTooLong ? DecisionKind.Failed : DecisionKind.Called,
                channel: message.Channel, reason: reason, caseKey: run?.Case);
        }

        if (chainTooLong || run is not { } open)
        {
            return;
        }

        var step = journey.Steps[open.Step];
        if (step.Name != message.Step || (isCall && open.ArrivedTicks != message.Timestamp.UtcTicks))
        {
            return; // the run moved on (a timer, an event) before the answer came
        }

        _interpreter.Answer(customer, journey, open, step, failed, failed ? null : Fields(result.Answer), now);
    }

    /// <summary>The journey the message was decided in and the run that decided it (by its entry number, from the key),
    /// if it is still open; a run moved to another version of the journey is found there.</summary>
    private (CompiledJourney? Journey, JourneyInstance? Run) FindRun(CustomerState customer, OutboundMessage message)
    {
        var sequence = SequenceOf(message.IdempotencyKey);
        CompiledJourney? decided = null;
        foreach (var journey in _model.Journeys)
        {
            if (journey.Id != message.JourneyId)
            {
                continue;
            }

            if (journey.Version == message.JourneyVersion || decided is null)
            {
                decided = journey;
            }

            for (var at = customer.RunOf(journey.Index); at is { } run; at = run.NextCase)
            {
                if (run.Sequence == sequence)
                {
                    return (journey, run);
                }
            }
        }

        return (decided, null);
    }

    /// <summary>The entry number in a message's key (journey:version:customer:entry:step:n; customer and step escaped, so
    /// the parts never hold a colon).</summary>
    private static int SequenceOf(string key)
    {
        var parts = key.Split(':');
        return parts.Length == 6 && int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) ? sequence : -1;
    }

    private static readonly JsonWriterOptions CompactJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>An answer as compact JSON (text as written, JSON escapes only), what the <c>called</c> decision records.</summary>
    private static string Compact(JsonElement answer)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, CompactJson))
        {
            answer.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>An answer's fields as the engine's values (<c>result.&lt;field&gt;</c>): null, bool, number, text, list; a
    /// nested object is its JSON text.</summary>
    private static Dictionary<string, Value> Fields(JsonElement? answer)
    {
        var fields = new Dictionary<string, Value>(StringComparer.Ordinal);
        if (answer is { ValueKind: JsonValueKind.Object } obj)
        {
            foreach (var property in obj.EnumerateObject())
            {
                fields[property.Name] = Value.FromJson(property.Value);
            }
        }

        return fields;
    }
}
