namespace Journeys.Decisions;

/// <summary>Where a partition's decisions go (the engine's observable, a simulation's recorder).</summary>
internal interface IDecisionSink
{
    void Emit(JourneyDecision decision);
}
