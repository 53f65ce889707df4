namespace Journeys.Analytics;

/// <summary>One row of the funnel: a journey as a whole (<see cref="Step"/> null) or one of its steps, with the decisions
/// counted there. <c>journeys report</c> prints these, the sample's table and the dashboard show them.</summary>
public sealed record FunnelRow
{
    /// <summary>The journey's id (its versions counted together).</summary>
    public required string Journey { get; init; }

    /// <summary>The step, or null for the journey's own row.</summary>
    public string? Step { get; init; }

    /// <summary>For a step: <c>entered</c> at it plus <c>moved</c> to it (a move to a new version of the journey is not
    /// an arrival). For the journey's row: its entries (<c>entered</c> decisions).</summary>
    public long Arrived { get; init; }

    /// <summary><c>sent</c> decisions.</summary>
    public long Sent { get; init; }

    /// <summary><c>suppressed</c> decisions; <see cref="SuppressedBy"/> says why.</summary>
    public long Suppressed { get; init; }

    /// <summary><c>deferred</c> decisions.</summary>
    public long Deferred { get; init; }

    /// <summary><c>failed</c> decisions other than a call's: a delivery that gave up, a template that failed to render, a
    /// rule that failed to evaluate, a case refused. A call that gave up is counted under <see cref="CallsFailed"/> only, so
    /// <see cref="Failed"/> + <see cref="CallsFailed"/> is the number of <c>failed</c> decisions.</summary>
    public long Failed { get; init; }

    /// <summary><c>called</c> decisions: calls (<c>call:</c>) an action answered.</summary>
    public long Called { get; init; }

    /// <summary>The <c>failed</c> decisions of calls that gave up (the action's name in
    /// <see cref="Journeys.Decisions.JourneyDecision.Channel"/>, no template), including a chain of calls answered at one
    /// instant cut short; not in <see cref="Failed"/>.</summary>
    public long CallsFailed { get; init; }

    /// <summary><c>goal</c> decisions, counted at the step where the customer stood.</summary>
    public long Goal { get; init; }

    /// <summary><c>exited</c> decisions that left early (an exit rule, a removed step); the exit that follows the goal
    /// (reason <c>goal:...</c>) is counted under <see cref="Goal"/> only.</summary>
    public long Exited { get; init; }

    /// <summary><c>completed</c> decisions.</summary>
    public long Completed { get; init; }

    /// <summary>The journey's row only: <see cref="Goal"/> / <see cref="Arrived"/> (entries); null for a step's row and
    /// for a journey nobody entered.</summary>
    public double? Conversion { get; init; }

    /// <summary>The <see cref="Suppressed"/> count by reason (<c>cap:normal</c>, <c>quiet-hours</c>, <c>consent</c>,
    /// <c>stale</c>), in the order of the reasons' text.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> SuppressedBy { get; init; } = [];
}
