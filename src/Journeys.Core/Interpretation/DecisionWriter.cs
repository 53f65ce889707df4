using Journeys.Compilation;
using Journeys.Decisions;
using Journeys.Language.Definitions;
using Journeys.Language.Expressions;
using Journeys.State;

namespace Journeys.Interpretation;

/// <summary>Writes a partition's decisions, numbered in the order they were made, to its sink (a buffer the partition
/// publishes after commit, or a simulation's recorder). Never calls an observer itself.</summary>
internal sealed class DecisionWriter(IDecisionSink sink, CustomerRegistry registry)
{
    private long _sequence;

    /// <summary>Told of each <c>failed</c> decision for a rule that failed to evaluate (the engine logs and counts it).</summary>
    public Action<JourneyDecision>? RuleFailed { get; set; }

    /// <summary>Told how long runs stood at a step and took to the goal (the engine's histograms), or null.</summary>
    public IRunTimings? Timings { get; set; }

    // Customers with a call in flight: the latest instant of a decision about them since the first of those calls, and
    // how many calls are in flight. Empty (one count check per decision) unless calls are.
    private readonly Dictionary<string, (long Latest, int Calls)> _calling = new(StringComparer.Ordinal);

    /// <summary>A call of <paramref name="customerId"/>'s is in flight from <paramref name="now"/>: from then on the
    /// latest instant of a decision about the customer is kept (see <see cref="LatestWhileCalling"/>).</summary>
    public void Calling(string customerId, long now)
    {
        ref var entry = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_calling, customerId, out _);
        entry = (Math.Max(entry.Latest, now), entry.Calls + 1);
    }

    /// <summary>A call of <paramref name="customerId"/>'s is answered (or its customer gone): the customer is forgotten
    /// once no call of theirs is in flight.</summary>
    public void Answered(string customerId)
    {
        if (!_calling.TryGetValue(customerId, out var entry))
        {
            return; // asked again after a restart: not known here
        }

        if (entry.Calls <= 1)
        {
            _calling.Remove(customerId);
        }
        else
        {
            _calling[customerId] = (entry.Latest, entry.Calls - 1);
        }
    }

    /// <summary>The latest instant of a decision about <paramref name="customerId"/> since a call of theirs still in
    /// flight, or null (no call in flight, or one asked again after a restart).</summary>
    public long? LatestWhileCalling(string customerId) => _calling.TryGetValue(customerId, out var entry) ? entry.Latest : null;

    /// <summary>A decision about a run; a run leaving its step (moved, completed, exited) or reaching the goal is timed
    /// for <see cref="Timings"/> (a move to another version of the journey is not a step left).</summary>
    public void Emit(long now, CustomerState customer, CompiledJourney journey, JourneyInstance instance, string step, DecisionKind kind,
        DecisionReason? reason = null, string? from = null)
    {
        if (Timings is { } timings)
        {
            switch (kind)
            {
                case DecisionKind.Moved when reason?.Kind is not (ReasonKind.Migrated or ReasonKind.VersionChanged):
                    timings.LeftStep(journey, from ?? step, now - instance.ArrivedTicks);
                    break;
                case DecisionKind.Completed or DecisionKind.Exited:
                    timings.LeftStep(journey, step, now - instance.ArrivedTicks);
                    break;
                case DecisionKind.Goal:
                    timings.ReachedGoal(journey, now - instance.EnteredTicks);
                    break;
            }
        }

        Emit(now, customer, journey, instance.Version, step, kind, reason: reason, from: from, caseKey: instance.Case);
    }

    /// <summary>A decision about a send: it carries the channel, template, category and the customer's tier.</summary>
    public void EmitSend(long now, CustomerState customer, CompiledJourney journey, int version, string step, DecisionKind kind,
        SendDefinition send, DecisionReason? reason = null, string? caseKey = null) =>
        Emit(now, customer, journey, version, step, kind, send.Channel, send.Template, reason, send: send, caseKey: caseKey);

    /// <summary>A decision about a given version of a journey (a migration's, a held send's).</summary>
    public JourneyDecision Emit(long now, CustomerState customer, CompiledJourney journey, int version, string step, DecisionKind kind,
        string? channel = null, string? template = null, DecisionReason? reason = null, string? from = null, SendDefinition? send = null,
        string? caseKey = null)
    {
        var decision = new JourneyDecision
        {
            Timestamp = new DateTimeOffset(now, TimeSpan.Zero),
            CustomerId = customer.Id,
            JourneyId = journey.Id,
            Version = version,
            Step = step,
            Kind = kind,
            Channel = channel,
            Template = template,
            Category = send?.Category,
            Tier = send is null ? null : customer.TierIn(registry),
            Why = reason,
            From = from,
            Case = caseKey,
            Sequence = _sequence++,
        };
        if (_calling.Count != 0)
        {
            Touch(decision.CustomerId, now);
        }

        sink.Emit(decision);
        return decision;
    }

    private void Touch(string customerId, long now)
    {
        ref var entry = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(_calling, customerId);
        if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref entry) && now > entry.Latest)
        {
            entry.Latest = now;
        }
    }

    /// <summary>Records the rules that failed to evaluate since the last call (<see cref="EvaluationContext.RuleFailures"/>)
    /// as <c>failed</c> decisions of <paramref name="journey"/> at <paramref name="step"/>, with the reason
    /// <c>rule-error:Workflow.Rule: message</c>. The expression went on as if the rule did not hold.</summary>
    public void EmitRuleFailures(EvaluationContext ctx, long now, CustomerState customer, CompiledJourney journey, int version, string step)
    {
        if (ctx.RuleFailures is not { Count: > 0 } failures)
        {
            return;
        }

        foreach (var failure in failures)
        {
            var decision = Emit(now, customer, journey, version, step, DecisionKind.Failed, reason: DecisionReason.RuleError(failure.Rule, failure.Message));
            RuleFailed?.Invoke(decision);
        }

        failures.Clear();
    }
}
