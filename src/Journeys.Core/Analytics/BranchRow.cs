namespace Journeys.Analytics;

/// <summary>One branch of a journey's <c>split:</c>: how many runs took it, how many of those reached the goal, and its
/// lift against the split's reference branch (the branch named <c>holdout</c>, or else the one fewest runs took) with a
/// 95% confidence interval by Newcombe's hybrid score method for a difference of proportions.</summary>
public sealed record BranchRow
{
    /// <summary>The journey's id.</summary>
    public required string Journey { get; init; }

    /// <summary>The step whose <c>split:</c> this is.</summary>
    public required string Step { get; init; }

    /// <summary>The branch: the step it leads to.</summary>
    public required string Branch { get; init; }

    /// <summary>Runs that took the branch (<c>moved</c> decisions from <see cref="Step"/> with a <c>split</c> reason).</summary>
    public long Arrived { get; init; }

    /// <summary>Of those runs, the ones that reached the goal afterwards (each run counted once).</summary>
    public long Goal { get; init; }

    /// <summary><see cref="Goal"/> / <see cref="Arrived"/>; null when no run took the branch.</summary>
    public double? Conversion { get; init; }

    /// <summary>Whether this is the reference branch the others are compared with.</summary>
    public bool IsReference { get; init; }

    /// <summary>This branch's conversion minus the reference's (a difference of proportions: 0.02 is two percentage
    /// points); null for the reference itself and when either branch has no runs.</summary>
    public double? Lift { get; init; }

    /// <summary>The lower end of <see cref="Lift"/>'s 95% confidence interval (Newcombe's method 10).</summary>
    public double? LiftLow { get; init; }

    /// <summary>The upper end of <see cref="Lift"/>'s 95% confidence interval (Newcombe's method 10).</summary>
    public double? LiftHigh { get; init; }
}
