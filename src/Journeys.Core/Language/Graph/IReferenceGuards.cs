using Journeys.Language.Definitions;
using Journeys.Language.Expressions;

namespace Journeys.Language.Graph;

/// <summary>How the reference state machine evaluates guards: given by the reference interpreter in tests, absent for
/// diagrams (where every guard is drawn, not evaluated).</summary>
internal interface IReferenceGuards
{
    bool Holds(JourneyExpression expression);

    /// <summary>The index of the branch this customer takes at <paramref name="split"/>.</summary>
    int Branch(StepDefinition step, SplitTransition split);

    /// <summary>Whether the goal still counts: within its window from entry, and not yet reached in this entry.</summary>
    bool GoalInTime(GoalDefinition goal);
}
