namespace Journeys.Decisions;

/// <summary>What the engine decided for a customer in a journey.</summary>
public enum DecisionKind
{
    /// <summary>The customer entered the journey (at its start step).</summary>
    Entered,

    /// <summary>The customer moved from one step to another.</summary>
    Moved,

    /// <summary>A message was handed to a channel.</summary>
    Sent,

    /// <summary>A message was not sent: a cap, quiet hours or consent (see the reason).</summary>
    Suppressed,

    /// <summary>A message waits for a cap or quiet hours to allow it.</summary>
    Deferred,

    /// <summary>Delivery gave up on a message.</summary>
    Failed,

    /// <summary>The customer reached the journey's goal (a conversion attributed to the step).</summary>
    Goal,

    /// <summary>The customer left early, by an exit rule or the goal (see the reason).</summary>
    Exited,

    /// <summary>The customer reached the end of the journey.</summary>
    Completed,

    /// <summary>A step stored traits (<c>set:</c>); the reason names them.</summary>
    Updated,

    /// <summary>A step published an event for the customer (<c>emit:</c>); the reason names its type.</summary>
    Emitted,

    /// <summary>An action a step called (<c>call:</c>) answered; the decision's <see cref="JourneyDecision.Channel"/> is
    /// the action's name and the reason holds the answer. A call that gave up is <see cref="Failed"/>, with the action's
    /// name in the same field.</summary>
    Called,
}
