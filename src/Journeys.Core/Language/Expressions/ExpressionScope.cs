namespace Journeys.Language.Expressions;

/// <summary>What an expression may see where it stands: <c>event.*</c> only where an event is at hand, <c>entry.*</c>
/// only in a run's steps (flags: a step's <c>on</c> transition sees both).</summary>
[Flags]
internal enum ExpressionScope
{
    /// <summary>Tiers, <c>when</c> entries, arrival branches: customer, activity, rules.</summary>
    Customer = 0,

    /// <summary>Entry on an event, <c>on</c> transitions, exits, goals: the event too.</summary>
    CustomerAndEvent = 1,

    /// <summary>Inside a run (its steps' branches and transitions, its exits and goal): the run's entering event,
    /// <c>entry.&lt;property&gt;</c> and <c>entry.timestamp</c>.</summary>
    Run = 2,

    /// <summary>The <c>if:</c> of an <c>on: $done</c> transition of a step that calls: the call's answer,
    /// <c>result.&lt;field&gt;</c>.</summary>
    Result = 4,
}
