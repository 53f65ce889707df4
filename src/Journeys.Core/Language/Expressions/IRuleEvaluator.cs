using Journeys.State;

namespace Journeys.Language.Expressions;

/// <summary>Evaluates <c>rule('Workflow.Rule')</c> references, identified by the index the loader gave them.</summary>
internal interface IRuleEvaluator
{
    bool Evaluate(int ruleIndex, CustomerState customer);
}
