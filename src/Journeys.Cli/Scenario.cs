using Journeys.Interchange;

namespace Journeys.Cli;

/// <summary>One journey test: the events it feeds the folder's journeys, when the run ends, the decisions expected and
/// those that must not happen. Read from a scenario file (<c>tests/*.yaml</c> beside the journeys) by
/// <see cref="ScenarioReader"/>.</summary>
internal sealed record Scenario(string Name, string File, List<SegmentInput> Inputs, DateTimeOffset? Until,
    List<DecisionPattern> Expected, List<DecisionPattern> Forbidden)
{
    /// <summary>The actions that answer the run's calls (<c>actions:</c>, a file as simulate's <c>--actions</c>); none:
    /// every call answers <c>{}</c>.</summary>
    public IReadOnlyList<Journeys.Delivery.IJourneyAction> Actions { get; init; } = [];
}

/// <summary>A decision as a scenario writes it: every field given must equal the actual decision's; a field left out
/// matches anything. <see cref="Where"/> is the pattern's place in its file (<c>file:line:column</c>).</summary>
internal sealed record DecisionPattern(string Where)
{
    public string? Customer { get; init; }

    public string? Journey { get; init; }

    public string? Step { get; init; }

    public string? Decision { get; init; }

    public DateTimeOffset? Time { get; init; }

    public string? Channel { get; init; }

    public string? Template { get; init; }

    public string? Reason { get; init; }

    /// <summary>The run's case key, as text (a journey with <c>case:</c>).</summary>
    public string? Case { get; init; }

    public override string ToString() => string.Join("  ", new[]
    {
        Time is { } t ? SimulationRun.Format(t) : null, Customer, Journey, Step, Decision,
        Channel is null ? null : "channel=" + Channel, Template is null ? null : "template=" + Template, Reason is null ? null : "reason=" + Reason,
        Case is null ? null : "case=" + Case,
    }.Where(p => p is not null));
}
