using Journeys.Language.Graph;
using Journeys.Tests.Runtime;

namespace Journeys.Tests.Cases;

/// <summary><c>journeys graph</c> shows that a journey with <c>case:</c> has a run per key: its entry edge names the key.</summary>
public sealed class CaseGraphTests
{
    [Fact]
    public void Graph_JourneyWithCases_NamesTheKeyOnItsEntry()
    {
        var journey = Sim.Load(CaseLoadingTests.SpecFeedback).Journeys.Single();

        Assert.Contains("\tnot_entered --> open : entry: on feedback_submitted, a run per event.ticketId\n", JourneyGraph.ToMermaid(journey), StringComparison.Ordinal);
        Assert.Contains("a run per event.ticketId", JourneyGraph.ToDot(journey), StringComparison.Ordinal);
    }

    [Fact]
    public void Graph_JourneyWithoutCases_NamesNoKey()
    {
        var journey = Sim.Load(CaseLoadingTests.SpecFeedback.Replace("case: event.ticketId\nmaxCases: 20\n", "", StringComparison.Ordinal)).Journeys.Single();

        Assert.Contains("\tnot_entered --> open : entry: on feedback_submitted\n", JourneyGraph.ToMermaid(journey), StringComparison.Ordinal);
    }
}
