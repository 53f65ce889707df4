using Journeys.Compilation;
using Journeys.Decisions;
using Journeys.State;

namespace Journeys.Interpretation;

/// <summary>What the interpreter asks of the stages above it, without knowing them: a step's send goes to the pace stage
/// (caps, quiet hours, deferral, rendering, the outbox), a step's timer to the timer stage, and a customer who leaves a
/// run takes its held sends along. The partition's dispatcher wires these to the stages.</summary>
internal interface IJourneyEffects
{
    /// <summary>Send message <paramref name="index"/> of <paramref name="step"/> for the run <paramref name="instance"/>.</summary>
    void Send(CustomerState customer, CompiledJourney journey, JourneyInstance instance, CompiledStep step, int index, long now);

    /// <summary>Publish event <paramref name="index"/> of <paramref name="step"/>'s <c>emit:</c> for the customer, at the
    /// same instant, after the input being applied and all its decisions.</summary>
    void Emit(CustomerState customer, CompiledJourney journey, JourneyInstance instance, CompiledStep step, int index, long now);

    /// <summary>Ask the action of <paramref name="step"/>'s <c>call:</c> for the run <paramref name="instance"/>, through the
    /// outbox; its answer comes back later (<see cref="JourneyInterpreter.Answer"/>).</summary>
    void Call(CustomerState customer, CompiledJourney journey, JourneyInstance instance, CompiledStep step, long now);

    /// <summary>A step's <c>set:</c> changed the customer's <paramref name="traits"/>: what reads them (<c>date</c>
    /// entries, <c>when</c> entries) looks again, as after an identify.</summary>
    void TraitsChanged(CustomerState customer, IReadOnlyList<string> traits, long now);

    /// <summary>Wake the run at <paramref name="dueTicks"/> for its step's <c>after</c> timer.</summary>
    void ArmStepTimer(CustomerState customer, CompiledJourney journey, JourneyInstance instance, long dueTicks);

    /// <summary>The customer left the run <paramref name="run"/> early (an exit, the goal, a migration): its held sends are
    /// dropped (of a journey with cases, that run's only).</summary>
    void Left(CustomerState customer, CompiledJourney journey, JourneyInstance run, long now, DecisionReason reason);
}
