using Journeys.Diagnostics;

namespace Journeys.Language.Definitions;

/// <summary>One branch of a <see cref="SplitTransition"/>.</summary>
/// <param name="Weight">A positive weight; the branch is taken with probability weight / total.</param>
/// <param name="Target">The next step, or <c>end</c>.</param>
internal sealed record SplitBranch(double Weight, string Target)
{
    /// <summary>Where the branch was defined.</summary>
    public SourceLocation Location { get; init; }

    /// <summary>Where the target's name (the value of <c>goto</c>) was written.</summary>
    public SourceLocation? TargetLocation { get; init; }
}
