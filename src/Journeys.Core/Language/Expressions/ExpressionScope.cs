namespace Journeys.Language.Expressions;

/// <summary>What an expression may see where it stands: <c>event.*</c> only where an event is at hand.</summary>
internal enum ExpressionScope
{
    /// <summary>Tiers, <c>when</c> entries, arrival branches: customer, activity, rules.</summary>
    Customer,

    /// <summary>Entry on an event, <c>on</c> transitions, exits, goals: the event too.</summary>
    CustomerAndEvent,
}
