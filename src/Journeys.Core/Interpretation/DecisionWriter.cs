using Journeys.Compilation;
using Journeys.Decisions;
using Journeys.Language.Definitions;
using Journeys.State;

namespace Journeys.Interpretation;

/// <summary>Writes a partition's decisions, numbered in the order they were made, to its sink (a buffer the partition
/// publishes after commit, or a simulation's recorder). Never calls an observer itself.</summary>
internal sealed class DecisionWriter(IDecisionSink sink)
{
    private long _sequence;

    /// <summary>A decision about a run.</summary>
    public void Emit(long now, CustomerState customer, CompiledJourney journey, JourneyInstance instance, string step, DecisionKind kind,
        string? reason = null, string? from = null) =>
        Emit(now, customer, journey, instance.Version, step, kind, reason: reason, from: from);

    /// <summary>A decision about a send: it carries the channel, template, category and the customer's tier.</summary>
    public void EmitSend(long now, CustomerState customer, CompiledJourney journey, int version, string step, DecisionKind kind,
        SendDefinition send, string? reason = null) =>
        Emit(now, customer, journey, version, step, kind, send.Channel, send.Template, reason, send: send);

    /// <summary>A decision about a given version of a journey (a migration's, a held send's).</summary>
    public void Emit(long now, CustomerState customer, CompiledJourney journey, int version, string step, DecisionKind kind,
        string? channel = null, string? template = null, string? reason = null, string? from = null, SendDefinition? send = null) =>
        sink.Emit(new JourneyDecision
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
            Tier = send is null ? null : customer.Tier,
            Reason = reason,
            From = from,
            Sequence = _sequence++,
        });
}
