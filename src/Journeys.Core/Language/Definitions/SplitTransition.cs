namespace Journeys.Language.Definitions;

/// <summary><c>{ split: [ { weight: 90, goto: a }, { weight: 10, goto: holdout } ] }</c>: a random split decided on arrival,
/// stable per customer and journey version.</summary>
/// <param name="Branches">The branches with their positive weights.</param>
internal sealed record SplitTransition(IReadOnlyList<SplitBranch> Branches) : TransitionDefinition
{
    /// <summary>The sum of the weights.</summary>
    public double TotalWeight => Branches.Sum(b => b.Weight);

    /// <inheritdoc />
    public override IEnumerable<string> Targets => Branches.Select(b => b.Target);

    /// <inheritdoc />
    public override string Label => "split";
}
