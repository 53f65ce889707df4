using Journeys.Compilation;
using Journeys.Language.Definitions;
using Journeys.State;

namespace Journeys.Policy;

/// <summary>The pace seam: decides whether a send may go now (consent, quiet hours, frequency caps).</summary>
internal interface ISendGate
{
    /// <summary>Whether the send may go at <paramref name="nowTicks"/>, must wait, or is suppressed.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="journey">The journey sending.</param>
    /// <param name="send">The send.</param>
    /// <param name="nowTicks">The time of the decision.</param>
    /// <param name="deferredSinceTicks">For a send already waiting: when it started to wait (0 for a new send).</param>
    GateVerdict Check(CustomerState customer, CompiledJourney journey, SendDefinition send, long nowTicks, long deferredSinceTicks);

    /// <summary>Called once a send was handed to its channel, so caps can count it.</summary>
    void Sent(CustomerState customer, CompiledJourney journey, SendDefinition send, long nowTicks);
}
