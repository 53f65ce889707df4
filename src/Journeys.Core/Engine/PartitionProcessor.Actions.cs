using System.Runtime.CompilerServices;
using Journeys.Compilation;
using Journeys.Decisions;
using Journeys.Interpretation;
using Journeys.State;

namespace Journeys.Engine;

// What a step's `emit:` and `set:` ask of the dispatcher: emitted events are queued and applied after the input that
// caused them and all its decisions, in emit order, at the same instant; a trait change makes date and when entries look
// again, as after an identify.
internal sealed partial class PartitionProcessor
{
    /// <summary>The longest chain of events emitted at one instant: an event emitted while applying the eighth refused
    /// (a <c>failed</c> decision instead), so two journeys that emit each other's events cannot loop forever.</summary>
    internal const int MaxEmitChain = 8;

    /// <summary>The most rounds of <c>when</c> entries one input's trait changes re-run (a set that enters a journey that
    /// sets again ...): past it the next input looks again.</summary>
    private const int MaxWhenRounds = 16;

    private readonly Queue<(CustomerEvent Event, int Depth, long At)> _emitted = new();
    private int _emitDepth; // how deep in a chain of emitted events the event being applied is: 0 for an input
    private bool _settling;
    private CustomerState? _traitsChangedOf;

    void IJourneyEffects.Emit(CustomerState customer, CompiledJourney journey, JourneyInstance instance, CompiledStep step, int index, long now)
    {
        var emit = step.Emits[index];
        if (_emitDepth >= MaxEmitChain)
        {
            _decisions.Emit(now, customer, journey, instance, step.Name, DecisionKind.Failed, reason: DecisionReason.EmitChain(emit.EventType, MaxEmitChain));
            return;
        }

        Dictionary<string, object?>? properties = null;
        if (emit.Properties.Count > 0)
        {
            properties = new Dictionary<string, object?>(emit.Properties.Count, StringComparer.Ordinal);
            _ctx.Run = instance; // entry.* reads this run's entering event
            foreach (var (name, expression) in emit.Properties)
            {
                properties[name] = expression.Evaluate(_ctx).ToObject();
            }

            _decisions.EmitRuleFailures(_ctx, now, customer, journey, instance.Version, step.Name);
        }

        _decisions.Emit(now, customer, journey, instance, step.Name, DecisionKind.Emitted, reason: step.EmitReasons[index]);
        _emitted.Enqueue((new CustomerEvent(customer.Id, emit.EventType, new DateTimeOffset(now, TimeSpan.Zero), properties), _emitDepth + 1, now));
    }

    void IJourneyEffects.TraitsChanged(CustomerState customer, IReadOnlyList<string> traits, long now)
    {
        MarkDirty(customer);
        foreach (var j in _model.DateJourneys)
        {
            if (traits.Contains(_model.Journeys[j].DateTrait!))
            {
                _timers.ScheduleDate(customer, j, now);
            }
        }

        _traitsChangedOf = customer;
    }

    /// <summary>After an input (an event, an identify, a timer): what its steps' actions left to do (traits set, events
    /// emitted, answers queued), until nothing is left. Costs one check when no step set, emitted or was answered (the
    /// common case).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Settle(long now)
    {
        if ((_emitted.Count != 0 || _traitsChangedOf is not null || _answers.Count != 0) && !_settling)
        {
            SettleActions(now);
        }
    }

    private void SettleActions(long now)
    {
        _settling = true;
        try
        {
            var whenRounds = 0;
            while (true)
            {
                if (_traitsChangedOf is { } changed)
                {
                    // A set's change is part of the input that made it: when entries see it before any emitted event.
                    _traitsChangedOf = null;
                    if (whenRounds++ < MaxWhenRounds)
                    {
                        _ctx.Customer = changed;
                        _ctx.NowTicks = now;
                        _ctx.Event = null;
                        _interpreter.EvaluateWhenEntries(changed, now);
                    }

                    continue;
                }

                if (!_emitted.TryDequeue(out var next))
                {
                    if (ApplyNextAnswer(now))
                    {
                        continue; // answers after the emitted events, each with what it moved
                    }

                    break;
                }

                _emitDepth = next.Depth;
                var e = next.Event;
                var type = _model.EventTypes.GetValueOrDefault(e.Type);
                if (type is not null || !_customers.IsQuiet(e.CustomerId, CustomerTable.Hash(e.CustomerId), next.At))
                {
                    Apply(e, CustomerTable.Hash(e.CustomerId), type, next.At, next.At);
                }

                _emitDepth = 0;
            }
        }
        finally
        {
            _settling = false;
            _emitDepth = 0;
        }
    }
}
