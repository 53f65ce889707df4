using Journeys.Definitions;

namespace Journeys.Runtime;

/// <summary>The pace seam: decides whether a send may go now (frequency caps, quiet hours, consent).</summary>
internal interface ISendGate
{
    /// <summary>Null to allow the send; otherwise the reason it is suppressed (<c>cap:normal</c>, <c>quiet-hours</c>, <c>consent</c>).</summary>
    string? Check(CustomerState customer, CompiledJourney journey, SendDefinition send, long nowTicks);

    /// <summary>Called once a send was handed to its channel, so caps can count it.</summary>
    void Sent(CustomerState customer, CompiledJourney journey, SendDefinition send, long nowTicks);
}
