using Journeys.Compilation;

namespace Journeys.Interpretation;

/// <summary>Told how long runs spend: the time a run stood at a step when it leaves it (a move, the end, an exit) and
/// the time from entry to the goal. The engine's metrics record them as histograms; a simulation has none. Called on the
/// per-event path: implementations allocate nothing.</summary>
internal interface IRunTimings
{
    /// <summary>A run left <paramref name="step"/> of <paramref name="journey"/> after <paramref name="ticks"/>.</summary>
    void LeftStep(CompiledJourney journey, string step, long ticks);

    /// <summary>A run of <paramref name="journey"/> reached the goal <paramref name="ticks"/> after it entered.</summary>
    void ReachedGoal(CompiledJourney journey, long ticks);
}
