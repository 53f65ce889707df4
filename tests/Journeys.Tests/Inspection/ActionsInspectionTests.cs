using Journeys.Language.Loading;

namespace Journeys.Tests.Inspection;

/// <summary>A step's <c>set:</c> and <c>emit:</c> show in the inspection model as written: traits with their expressions
/// (null for a removal), events with their properties, each at its place.</summary>
public sealed class ActionsInspectionTests
{
    [Fact]
    public void StepInfo_WithSetAndEmit_ListsThemInTheOrderWritten()
    {
        var catalog = JourneyLoader.LoadYaml(("j.yaml", """
            journey: vip
            entry: { on: joined }
            start: welcome-vip
            steps:
              welcome-vip:
                set: { stage: "'vip'", points: "customer.points + 200", coupon: ~ }
                send: { channel: email, template: vip/welcome }
                emit:
                  - { event: vip_joined, properties: { source: "'boost'" } }
                  - { event: vip_told }
            """));
        Assert.False(catalog.HasErrors, string.Join("\n", catalog.Diagnostics));

        var step = Assert.Single(Assert.Single(catalog.Journeys).Steps);

        Assert.Equal([new("stage", "'vip'"), new("points", "customer.points + 200"), new KeyValuePair<string, string?>("coupon", null)], step.Set);
        Assert.Equal(["vip_joined", "vip_told"], step.Emits.Select(e => e.EventType));
        Assert.Equal([new KeyValuePair<string, string>("source", "'boost'")], step.Emits[0].Properties);
        Assert.Empty(step.Emits[1].Properties);
        Assert.Equal("j.yaml:9:9", step.Emits[0].Location.ToString());
    }
}
