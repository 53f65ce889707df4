using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Journeys.Compilation;
using Journeys.Decisions;
using Journeys.Engine;
using Journeys.State;

namespace Journeys.Tests.Runtime;

/// <summary>A customer keeps memory only for the journeys they touch (models of up to 64 journeys), or one entry per
/// journey (larger models). Both layouts behave as a plain array of per-journey memories, and a journey decides the same
/// whether the model holds it alone or beside 63 or 69 others.</summary>
public sealed class JourneyMemoryLayoutTests
{
    [Property(MaxTest = 60)]
    public Property Memories_ReadAndWrittenInAnyOrder_BehaveAsAPlainArray() =>
        Prop.ForAll(Arb.From(Gen.Choose(1, int.MaxValue - 1)), Arb.From(Gen.Elements(1, 5, 64, 70)), (seed, journeys) =>
        {
            var random = new Random(seed);
            var customer = new CustomerState("c1", journeys);
            var model = new JourneyMemory[journeys];
            for (var op = 0; op < 300; op++)
            {
                var j = random.Next(journeys);
                if (random.Next(2) == 0)
                {
                    ref var memory = ref customer.UpdateMemoryOf(j);
                    memory.Entries = random.Next(1, 100);
                    memory.LastEntryTicks = random.NextInt64(1, long.MaxValue);
                    memory.PendingEntryTicks = random.NextInt64();
                    memory.WhenFalseAtVersion = random.Next();
                    memory.InactivityWaitsForActivity = random.Next(2) == 0;
                    memory.Run = random.Next(2) == 0 ? default : new InlineRun(1, memory.Entries, op);
                    model[j] = memory;
                }

                for (var k = 0; k < journeys; k++)
                {
                    Assert.Equal(model[k], customer.MemoryOf(k));
                }
            }

            var touched = model.Count(m => !m.Equals(default(JourneyMemory)));
            Assert.Equal(journeys > CustomerState.SparseJourneys ? journeys : touched, customer.MemoryCount);
            for (var position = 0; position < customer.MemoryCount; position++)
            {
                var journey = journeys > CustomerState.SparseJourneys ? position : Enumerable.Range(0, journeys).Where(k => !model[k].Equals(default(JourneyMemory))).ElementAt(position);
                Assert.Equal(model[journey], customer.MemoryAt(position));
            }

            // The sparse layout keeps the first journey's memory in the customer object: the array holds the others.
            Assert.Equal(journeys > CustomerState.SparseJourneys ? journeys : Math.Max(0, touched - 1), customer.MemoryArray.Length);
        });

    [Theory]
    [InlineData(64)] // the last journey sits at bit 63 of the sparse layout
    [InlineData(70)] // more than 64: one entry per journey
    public void Journey_BesideManyOthers_DecidesAsWhenAlone(int journeys)
    {
        var yaml = Enumerable.Range(0, journeys).Select(Journey).ToArray();
        var script = new Script();
        for (var c = 0; c < 6; c++)
        {
            var user = "c" + c;
            script.Track(user, "signed_up", Sim.T.AddHours(c));
            for (var day = 0; day < 100; day += 7 + c)
            {
                script.Track(user, day % 2 == 0 ? "interaction" : "login", Sim.T.AddDays(day).AddHours(c));
            }
        }

        var together = Sim.Run(Sim.Load(yaml), script, Sim.T.AddDays(200));
        Assert.NotEmpty(together);
        foreach (var j in new[] { 0, 1, 2, 62, 63, journeys - 1 }.Distinct())
        {
            var alone = Sim.Lines(Sim.Run(Sim.Load(yaml[j]), script, Sim.T.AddDays(200)));
            Assert.NotEmpty(alone);
            Assert.Equal(alone, Sim.Lines(together.Where(d => d.JourneyId == "j" + j)));
        }
    }

    [Fact]
    public void Customer_OnlyKeepsMemoryOfTheJourneysTheyTouch()
    {
        var catalog = Sim.Load(
            SpecJourneys.OneStep("birthday", "date: { trait: birthday, every: year, at: \"09:00\" }", reentry: "always"),
            SpecJourneys.OneStep("welcome", "on: signed_up"));
        var processor = new PartitionProcessor(new RuntimeModel(catalog), new NoDecisions(), _ => { });
        processor.Identify(new CustomerProfile("c1", new Dictionary<string, object?> { ["plan"] = "gold" }, "Europe/Berlin"), Sim.T.UtcTicks);
        Assert.True(processor.Customers.TryGetValue("c1", out var customer));
        Assert.Equal(0, customer.MemoryCount); // no birthday trait: no pending date, nothing kept for either journey
        var none = customer.MemoryArray;

        processor.Process(new CustomerEvent("c1", "signed_up"), Sim.T.UtcTicks + 1);
        Assert.Equal(1, customer.MemoryOf(1).Entries);
        Assert.Equal(1, customer.MemoryCount);
        Assert.Same(none, customer.MemoryArray); // one journey's memory sits in the customer object: no array made for it
    }

    [Fact]
    public void JourneyBeforeTheFirst_MovesTheFirstIntoTheArray()
    {
        var customer = new CustomerState("c1", 5);
        customer.UpdateMemoryOf(3).Entries = 3;
        customer.UpdateMemoryOf(1).Entries = 1; // comes before journey 3: journey 3's memory moves to the array
        customer.UpdateMemoryOf(4).Entries = 4;
        customer.UpdateMemoryOf(0).Entries = 7;
        Assert.Equal([7, 1, 0, 3, 4], Enumerable.Range(0, 5).Select(j => customer.MemoryOf(j).Entries));
        Assert.Equal(4, customer.MemoryCount);
        Assert.Equal([7, 1, 3, 4], Enumerable.Range(0, customer.MemoryCount).Select(p => customer.MemoryAt(p).Entries));
        Assert.Equal(3, customer.MemoryArray.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => customer.MemoryAt(4).Entries);
    }

    private sealed class NoDecisions : IDecisionSink
    {
        public void Emit(JourneyDecision decision)
        {
        }
    }

    // Every kind of entry that keeps memory: an event (entries), a when condition (its memo), inactivity (its check).
    private static string Journey(int j) => SpecJourneys.OneStep("j" + j, (j % 3) switch
    {
        0 => "on: signed_up",
        1 => "when: \"count('interaction', 30) >= 2\"",
        _ => "inactive: { for: 20d, of: [login, interaction] }",
    }, reentry: j % 3 == 0 ? "never" : "30d");
}
