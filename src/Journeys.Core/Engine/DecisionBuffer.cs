using Journeys.Decisions;

namespace Journeys.Engine;

/// <summary>A partition's decisions made and not yet committed: the processor writes here during a state change, the
/// partition publishes the buffer after the change is applied and saved, then clears it for the next batch.</summary>
internal sealed class DecisionBuffer : List<JourneyDecision>, IDecisionSink
{
    public void Emit(JourneyDecision decision) => Add(decision);
}
