using Journeys.Analytics;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Tests.Actions;
using Journeys.Tests.Runtime;
using static Journeys.Tests.Runtime.Sim;

namespace Journeys.Tests.Analytics;

/// <summary>The funnel counts a step's calls: <c>called</c> decisions as <see cref="FunnelRow.Called"/>, a call that gave
/// up as <see cref="FunnelRow.CallsFailed"/> and not as <see cref="FunnelRow.Failed"/> (which keeps the failed sends);
/// per step and summed on the journey's row, over the decisions of a real simulated run.</summary>
public sealed class JourneyFunnelCallTests
{
    /// <summary>Three customers order: the action answers the first and third and refuses the second; every send's
    /// channel refuses, so the sends after the calls fail too.</summary>
    private static (FunnelReport Report, List<JourneyDecision> Decisions) Run()
    {
        var action = new FixedAction("loyalty-credit", FixedAction.Done("""{"status":"ok"}"""), ActionResult.Permanent("account closed"),
            FixedAction.Done("""{"status":"ok"}"""));
        var script = new Script()
            .Track("c1", "order_completed", T)
            .Track("c2", "order_completed", T.AddMinutes(1))
            .Track("c3", "order_completed", T.AddMinutes(2));
        var catalog = Load(CallJourneys.Boost);
        var decisions = new Simulator(catalog, new RefusingChannel(), [action]).Run(script.Inputs, T.AddDays(2));
        var funnel = new JourneyFunnel();
        funnel.AddRange(decisions);
        return (funnel.Report(catalog.Journeys), decisions);
    }

    [Fact]
    public void Calls_AnsweredAndGivenUp_CountedAtTheCallingStep_ApartFromFailedSends()
    {
        var (report, decisions) = Run();

        var rows = report.Rows.ToDictionary(r => r.Step ?? "(journey)", r => (r.Called, r.CallsFailed, r.Failed, r.Sent));
        Assert.Equal((2, 1, 0, 0), rows["credit"]);
        Assert.Equal((0, 0, 2, 2), rows["thanks"]); // the push after each answered call: handed to the channel, refused
        Assert.Equal((0, 0, 1, 1), rows["sorry"]);
        Assert.Equal((2, 1, 3, 3), rows["(journey)"]);

        // The counts are simulate's decisions: called + failed lines, the failed calls being those naming no template.
        Assert.Equal(2, decisions.Count(d => d.Kind == DecisionKind.Called));
        Assert.Equal(4, decisions.Count(d => d.Kind == DecisionKind.Failed));
        Assert.Equal(report.Rows[0].Failed + report.Rows[0].CallsFailed, decisions.Count(d => d.Kind == DecisionKind.Failed));
    }

    [Fact]
    public void FailedDecisions_WithoutAChannel_AreNotCalls()
    {
        // A rule or a case failure names no channel; a send's names its template: none is a call.
        Assert.False(JourneyFunnel.IsCall(Decision(DecisionKind.Failed, channel: null, template: null)));
        Assert.False(JourneyFunnel.IsCall(Decision(DecisionKind.Failed, channel: "push", template: "t")));
        Assert.True(JourneyFunnel.IsCall(Decision(DecisionKind.Failed, channel: "loyalty-credit", template: null)));
    }

    private static JourneyDecision Decision(DecisionKind kind, string? channel, string? template) => new()
    {
        Timestamp = T,
        CustomerId = "c1",
        JourneyId = "boost",
        Version = 1,
        Step = "credit",
        Kind = kind,
        Channel = channel,
        Template = template,
    };

    /// <summary>Refuses every message for good.</summary>
    private sealed class RefusingChannel : IChannel
    {
        public string Name => "any";

        public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken) =>
            ValueTask.FromResult(DeliveryResult.Permanent("no device token"));
    }
}
