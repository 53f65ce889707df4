using Journeys.Engine;
using Journeys.Interchange;
using Journeys.State;

namespace Journeys.Tests.Runtime;

/// <summary>The decisions an input causes carry the input's own customer id string: the customer table holds ids as
/// bytes and made a new string for each input's decisions; it now hands back the string of the input being applied.</summary>
public sealed class CustomerIdSharingTests
{
    private const string Hello = """
        journey: hello
        entry: { on: joined }
        reentry: always
        start: greet
        steps:
          greet:
            then: [ { on: left, goto: bye } ]
          bye:
        """;

    [Fact]
    public void Decisions_OfAnInput_ShareItsCustomerIdString_ForNewAndKnownCustomers()
    {
        var inputs = new List<SegmentInput>();
        void Add(string type, int minute, string id) =>
            inputs.Add(new SegmentInput(inputs.Count + 1, Sim.T.AddMinutes(minute), new CustomerEvent(id, type, Sim.T.AddMinutes(minute)), null));
        Add("joined", 0, Id("c1")); // new customers
        Add("joined", 1, Id("c2"));
        Add("left", 2, Id("c1")); // known customers, after another customer's decisions
        Add("joined", 3, Id("c2"));

        var decisions = new Simulator(Sim.Load(Hello)).Run(inputs, null);

        Assert.Equal(
            ["2026-01-05T10:00:00Z c1 entered greet (on joined)", "2026-01-05T10:01:00Z c2 entered greet (on joined)",
             "2026-01-05T10:02:00Z c1 moved bye from greet (on left)", "2026-01-05T10:02:00Z c1 completed bye"],
            Sim.Lines(decisions).Take(4));
        Assert.True(decisions.Count >= 4);
        foreach (var decision in decisions)
        {
            var input = inputs.Single(i => i.Timestamp == decision.Timestamp);
            Assert.Same(input.Event!.CustomerId, decision.CustomerId); // a string made per input before
        }
    }

    /// <summary>A string equal to <paramref name="id"/> but not the same object as any other.</summary>
    private static string Id(string id) => new(id.AsSpan());
}
