using Journeys.Language.Graph;
using Journeys.Tests.Support;

namespace Journeys.Tests.Graph;

/// <summary>A step's <c>set</c> and <c>emit</c> in the diagrams: a note beside the step in Mermaid (which draws no entry
/// actions), the step's entry actions in DOT.</summary>
public sealed class ActionsGraphTests
{
    private const string Vip = """
        journey: vip
        entry: { on: joined }
        start: welcome-vip
        steps:
          welcome-vip:
            set: { stage: "'vip'", points: "customer.points + 200" }
            emit: [ { event: vip_joined }, { event: vip_told } ]
            then: [ { after: 1d, goto: plain } ]
          plain:
            set: { coupon: ~ }
        """;

    private static Journeys.Inspection.JourneyInfo Journey()
    {
        var catalog = Diagnose.Load(Vip);
        Diagnose.NoErrors(catalog);
        return catalog.Journeys.Single();
    }

    [Fact]
    public void Mermaid_StepsWithSetAndEmit_HaveANoteEachAtTheirIds()
    {
        var lines = JourneyGraph.ToMermaid(Journey()).Split('\n');

        Assert.Contains("\twelcomevip : welcome-vip", lines); // Stateless's id for a name with a dash
        Assert.Contains("\tnote right of welcomevip : set stage, points<br/>emit vip_joined, vip_told", lines);
        Assert.Contains("\tnote right of plain : set coupon", lines);
    }

    [Fact]
    public void Dot_StepsWithSetAndEmit_ShowThemAsEntryActions()
    {
        var dot = JourneyGraph.ToDot(Journey());

        Assert.Contains("entry / set stage, points", dot, StringComparison.Ordinal);
        Assert.Contains("entry / emit vip_joined, vip_told", dot, StringComparison.Ordinal);
        Assert.Contains("entry / set coupon", dot, StringComparison.Ordinal);
    }
}
