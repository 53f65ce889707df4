using Journeys.Decisions;
using Journeys.Language.Expressions;

namespace Journeys.Compilation;

/// <summary>A transition decided on arrival, compiled: a condition (<c>if</c>), an unconditional <c>goto</c>, or a
/// weighted split. Targets and the reasons decisions record are made once; a split keeps its cumulative weights.</summary>
internal sealed class ArrivalBranch
{
    private ArrivalBranch(JourneyExpression? condition, int[] targets, DecisionReason[] labels, double[] cumulativeWeights, StepTimer? timer = null)
    {
        Timer = timer;
        Condition = condition;
        Targets = targets;
        Labels = labels;
        CumulativeWeights = cumulativeWeights;
    }

    /// <summary><c>{ if: condition, goto: target }</c>.</summary>
    public static ArrivalBranch If(JourneyExpression condition, int target) => new(condition, [target], [DecisionReason.Condition(condition.Text)], []);

    /// <summary><c>{ goto: target }</c>: always taken.</summary>
    public static ArrivalBranch Always(int target) => new(null, [target], [DecisionReason.Always], []);

    /// <summary><c>{ after: 7bd, from: entry, goto: target }</c> on arrival: taken when the timer's time has already passed.</summary>
    public static ArrivalBranch Passed(StepTimer timer) => new(null, [timer.Target], [timer.Label], [], timer);

    /// <summary><c>{ split: [ { weight, goto } ... ] }</c>.</summary>
    public static ArrivalBranch Split(IReadOnlyList<(double Weight, int Target)> branches)
    {
        var cumulative = new double[branches.Count];
        var total = 0.0;
        for (var i = 0; i < branches.Count; i++)
        {
            total += branches[i].Weight;
            cumulative[i] = total;
        }

        return new ArrivalBranch(null, branches.Select(b => b.Target).ToArray(),
            branches.Select((_, i) => DecisionReason.Split(i + 1, branches.Count)).ToArray(), cumulative);
    }

    /// <summary>The condition of an <c>if</c> branch; null for <c>goto</c> and splits.</summary>
    public JourneyExpression? Condition { get; }

    /// <summary>A <c>from: entry</c> timer, taken on arrival when already due; null for other branches.</summary>
    public StepTimer? Timer { get; }

    /// <summary>The target step indexes (<see cref="CompiledStep.End"/> for <c>end</c>): one, or one per split branch.</summary>
    public int[] Targets { get; }

    /// <summary>The reason each target's <c>moved</c> (or <c>completed</c>) decision records.</summary>
    public DecisionReason[] Labels { get; }

    /// <summary>A split's running totals of its branches' weights (empty for other branches).</summary>
    public double[] CumulativeWeights { get; }

    /// <summary>True for a weighted split.</summary>
    public bool IsSplit => CumulativeWeights.Length > 0;

    /// <summary>The sum of a split's weights.</summary>
    public double TotalWeight => CumulativeWeights.Length == 0 ? 0 : CumulativeWeights[^1];
}
