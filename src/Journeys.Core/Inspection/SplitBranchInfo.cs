using Journeys.Diagnostics;
using Journeys.Language.Definitions;

namespace Journeys.Inspection;

/// <summary>One branch of a split (<c>{ weight: 90, goto: a }</c>).</summary>
public sealed class SplitBranchInfo
{
    internal SplitBranchInfo(SplitBranch branch, double totalWeight)
    {
        Weight = branch.Weight;
        Target = branch.Target;
        Share = GraphLabels.Share(branch.Weight, totalWeight);
        Label = GraphLabels.Edge(GraphLabels.Split, Share);
        Location = branch.Location;
    }

    /// <summary>The weight as written; the branch is taken with probability weight / total.</summary>
    public double Weight { get; }

    /// <summary>The next step, or <see cref="TransitionInfo.End"/>.</summary>
    public string Target { get; }

    /// <summary>The branch's share of the customers as a percentage with at most two decimals: <c>90%</c>.</summary>
    public string Share { get; }

    /// <summary>The label <c>journeys graph</c> draws on the branch's edge: <c>split [90%]</c>.</summary>
    public string Label { get; }

    /// <summary>Where the branch was written.</summary>
    public SourceLocation Location { get; }
}
