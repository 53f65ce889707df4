using Journeys.State;

namespace Journeys.Language.Expressions;

/// <summary>Evaluates <c>rule('Workflow.Rule')</c> references, identified by the index the loader gave them.</summary>
internal interface IRuleEvaluator
{
    /// <summary>Whether the rule holds for the customer. A rule that fails to evaluate does not hold, and
    /// <paramref name="failure"/> says why (else null); a result already known for the customer's traits comes with none.</summary>
    bool Evaluate(int ruleIndex, CustomerState customer, out RuleFailure? failure);
}
