namespace Journeys.Language.Expressions;

/// <summary>A <c>rule('Workflow.Rule')</c> that failed to evaluate for a customer: the rule's name and what went wrong.</summary>
internal readonly record struct RuleFailure(string Rule, string Message);
