using Journeys.Compilation;
using Journeys.Decisions;
using Journeys.Engine;
using Journeys.State;
using Journeys.Tests.Schedules;
using Microsoft.Extensions.Logging.Abstractions;

namespace Journeys.Tests.Runtime;

/// <summary>A plain run is no object: it lives inline in the customer's journey memory, read and changed through a
/// <see cref="JourneyInstance"/> handle. Its packed words stay independent, a handle read after the run ended still reads
/// it, a handle to a run the customer has since re-entered is refused, and the run survives a snapshot round trip.</summary>
public sealed class InlineRunTests
{
    private sealed class Decisions : IDecisionSink
    {
        public List<JourneyDecision> All { get; } = [];

        public void Emit(JourneyDecision decision) => All.Add(decision);
    }

    [Fact]
    public void InlineRun_PackedWords_AreIndependent()
    {
        var run = new InlineRun(3, int.MaxValue, 42);
        Assert.Equal((3, int.MaxValue, true, 42L), (run.Version, run.Sequence, run.Live, run.EnteredTicks));
        run.Step = int.MaxValue;
        run.Converted = true;
        Assert.Equal((int.MaxValue, true), (run.Step, run.Converted));
        run.Step = 3;
        run.Converted = false;
        Assert.Equal((3, false), (run.Step, run.Converted));
        run.Live = false;
        Assert.Equal((int.MaxValue, false), (run.Sequence, run.Live));
        run.Live = true;
        Assert.Equal((int.MaxValue, true, 3), (run.Sequence, run.Live, run.Step));
        Assert.Equal(0, default(InlineRun).Sequence);
        Assert.False(default(InlineRun).Live);
    }

    [Fact]
    public void Sizes_InlineRunIs32Bytes_MemoryIs64()
    {
        Assert.Equal(32, System.Runtime.CompilerServices.Unsafe.SizeOf<InlineRun>());
        Assert.Equal(64, System.Runtime.CompilerServices.Unsafe.SizeOf<JourneyMemory>());
    }

    [Fact]
    public void EnteredRun_StepAndConverted_SharingOneWord_AreIndependent()
    {
        var run = new EnteredRun(version: 1, sequence: 1, enteredTicks: 1);
        var handle = new JourneyInstance(run);
        handle.Step = int.MaxValue;
        handle.Converted = true;
        Assert.Equal((int.MaxValue, true), (run.State.Step, run.State.Converted));
        handle.Step = 3;
        handle.Converted = false;
        Assert.Equal((3, false), (handle.Step, handle.Converted));
        Assert.Same(run, handle.Heap);
    }

    [Fact]
    public void Handle_WritesThroughToTheMemory_AndHandlesOfOneRunAreEqual()
    {
        var customer = new CustomerState("c1", 3);
        customer.UpdateMemoryOf(0).Entries = 5; // another journey's memory first: the run's memory is not the first
        var run = customer.StartInlineRun(2, version: 4, sequence: 7, enteredTicks: 100);
        run.Step = 2;
        run.ArrivedTicks = 150;
        run.Arrival++;
        run.Converted = true;

        ref readonly var memory = ref customer.MemoryOf(2);
        Assert.Null(memory.Runs);
        Assert.True(memory.HasRun);
        Assert.Equal((4, 7, 100L, 2, 150L, 1, true), (memory.Run.Version, memory.Run.Sequence, memory.Run.EnteredTicks, memory.Run.Step,
            memory.Run.ArrivedTicks, memory.Run.Arrival, memory.Run.Converted));
        Assert.Equal(run, customer.RunOf(2));
        Assert.Null(customer.RunOf(1));
        Assert.Null(run.Case);
        Assert.Null(run.NextCase);
        Assert.Equal((7L << 32) | 1, run.StepToken);

        customer.UpdateMemoryOf(1).Entries = 1; // a journey before it: the memories move; the handle finds the run again
        Assert.Equal((2, 150L), (run.Step, run.ArrivedTicks));
    }

    [Fact]
    public void EndedRun_StillReads_ReEnteredRun_MakesTheOldHandleStale()
    {
        var customer = new CustomerState("c1", 1);
        var first = customer.StartInlineRun(0, version: 1, sequence: 1, enteredTicks: 10);
        first.Step = 1;
        customer.UpdateMemoryOf(0).Run.Live = false; // what EndInstance does to an inline run
        Assert.Null(customer.RunOf(0));
        Assert.False(customer.MemoryOf(0).HasRun);
        Assert.Equal((1, 10L), (first.Step, first.EnteredTicks)); // a decision about the run that just ended reads it

        var second = customer.StartInlineRun(0, version: 1, sequence: 2, enteredTicks: 20); // the same slot, reused
        Assert.Equal(second, customer.RunOf(0));
        Assert.NotEqual(first, second);
        Assert.Equal((0, 20L), (second.Step, second.EnteredTicks));
        Assert.Throws<InvalidOperationException>(() => first.Step);
        Assert.Throws<InvalidOperationException>(() => first.Step = 3);
    }

    private const string Survey = """
            then:
              - after: 2d
                goto: end
        """;

    [Fact]
    public void ScheduledEntry_KeepsItsRunInline_CompletesIt_AndReEntersInTheSameSlot()
    {
        var model = new RuntimeModel(Sim.Load(ScheduleEntryTests.Journey("survey", "{ every: week, on: mon, at: \"10:00\" }", steps: Survey)));
        var decisions = new Decisions();
        var processor = new PartitionProcessor(model, decisions, _ => { });
        processor.Identify(new CustomerProfile("c1", null, "Europe/Berlin"), Sim.T.UtcTicks);
        Assert.True(processor.Customers.TryGetValue("c1", out var customer));

        processor.AdvanceTo(Sim.T.AddDays(7).UtcTicks); // Monday 12 January: entered at 09:00Z (10:00 in Berlin)
        Assert.Null(customer.MemoryOf(0).Runs); // no run object
        var first = Assert.IsType<JourneyInstance>(customer.RunOf(0));
        Assert.Equal((1, "hello"), (first.Sequence, model.Journeys[0].Steps[first.Step].Name));

        processor.AdvanceTo(Sim.T.AddDays(10).UtcTicks); // its step timer (2 days) completed it
        Assert.Null(customer.RunOf(0));

        processor.AdvanceTo(Sim.T.AddDays(14).UtcTicks); // the next Monday: entered again, in the same memory
        var second = Assert.IsType<JourneyInstance>(customer.RunOf(0));
        Assert.Equal(2, second.Sequence);
        Assert.Equal(1, customer.MemoryCount);
        Assert.Throws<InvalidOperationException>(() => first.Step);

        processor.AdvanceTo(Sim.T.AddDays(17).UtcTicks); // the second run's timer completes it; the first's is long gone
        Assert.Equal(["entered", "sent", "completed", "entered", "sent", "completed"],
            decisions.All.Where(d => d.CustomerId == "c1").Select(d => d.KindName));
    }

    [Fact]
    public async Task InlineRun_SnapshotRoundTrip_RestoresStepArrivalAndConversion()
    {
        var catalog = Sim.Load(ScheduleEntryTests.Journey("survey", "{ every: week, on: mon, at: \"10:00\" }", steps: Survey));
        var model = new RuntimeModel(catalog);
        var processor = new PartitionProcessor(model, new Decisions(), _ => { });
        processor.Identify(new CustomerProfile("c1", null, "Europe/Berlin"), Sim.T.UtcTicks);
        processor.AdvanceTo(Sim.T.AddDays(7).UtcTicks);
        Assert.True(processor.Customers.TryGetValue("c1", out var customer));
        var run = customer.RunOf(0)!.Value;
        run.Converted = true;

        var snapshot = SnapshotMapper.ToSnapshot(customer, model);
        var plan = await VersionPlan.ResolveAsync(catalog, null, NullLogger.Instance, CancellationToken.None);
        var restored = SnapshotMapper.FromSnapshot(snapshot, plan, Sim.T.AddDays(7).UtcTicks);

        Assert.Null(restored.MemoryOf(0).Runs); // restored inline too
        var back = restored.RunOf(0)!.Value;
        Assert.Equal((run.Version, run.Sequence, run.EnteredTicks, run.Step, run.ArrivedTicks, true),
            (back.Version, back.Sequence, back.EnteredTicks, back.Step, back.ArrivedTicks, back.Converted));
        Assert.Equal(customer.MemoryOf(0).Entries, restored.MemoryOf(0).Entries);
    }
}
