using Journeys.Compilation;
using Journeys.Decisions;
using Journeys.Engine;
using Journeys.State;
using Journeys.Tests.Runtime;

namespace Journeys.Tests.Schedules;

/// <summary>At scale a schedule holds one timer per zone and occurrence, not one per customer: the partition groups its
/// customers by zone and enters each zone's group at its local time.</summary>
public sealed class ScheduleGroupsTests
{
    private sealed class Count : IDecisionSink
    {
        public int Entered;

        public void Emit(JourneyDecision decision) => Entered += decision.Kind == DecisionKind.Entered ? 1 : 0;
    }

    private static readonly string[] Zones = ["Asia/Shanghai", "America/New_York", "Europe/Berlin", "Asia/Tokyo", "Asia/Kolkata"];

    [Fact]
    public void WeeklySchedule_ThousandsOfCustomersInFiveZones_HoldsOneTimerPerZoneAndEntersEveryone()
    {
        var catalog = Sim.Load(ScheduleEntryTests.Journey("weekly", "{ every: week, on: mon, at: \"10:00\" }"));
        var decisions = new Count();
        var processor = new PartitionProcessor(new RuntimeModel(catalog), decisions, _ => { });
        for (var i = 0; i < 5_000; i++)
        {
            processor.Identify(new CustomerProfile($"c{i}", null, Zones[i % Zones.Length]), Sim.T.UtcTicks);
        }

        Assert.Equal(Zones.Length + 1, processor.PendingTimers); // five zones, and UTC where each customer began

        processor.AdvanceTo(Sim.T.AddDays(7).UtcTicks); // Monday 12 January 10:00Z: each zone's Monday 10:00 once

        Assert.Equal(5_000, decisions.Entered);
        Assert.Equal(Zones.Length + 1, processor.PendingTimers); // each zone's next Monday; no per-customer timer
    }

    private sealed class Entries : IDecisionSink
    {
        public List<JourneyDecision> Entered { get; } = [];

        public void Emit(JourneyDecision decision)
        {
            if (decision.Kind == DecisionKind.Entered)
            {
                Entered.Add(decision);
            }
        }
    }

    // The first Monday 10:00 in the zone after `after`, in UTC.
    private static DateTimeOffset MondayTenAfter(DateTimeOffset after, string zone)
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        for (var day = TimeZoneInfo.ConvertTime(after, tz).Date; ; day = day.AddDays(1))
        {
            var due = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(day.AddHours(10), tz), TimeSpan.Zero);
            if (day.DayOfWeek == DayOfWeek.Monday && due > after)
            {
                return due;
            }
        }
    }

    [Fact]
    public void Schedule_GroupsRebuiltInOnePass_EnterEachCustomerAtTenInItsOwnZone()
    {
        // 2,000 new customers, then 1,000 of them moving zone: both times more than a quarter of the customers changed,
        // so the groups are rebuilt by one pass over the partition's customers (not by removing movers).
        var catalog = Sim.Load(ScheduleEntryTests.Journey("weekly", "{ every: week, on: mon, at: \"10:00\" }"));
        var decisions = new Entries();
        var processor = new PartitionProcessor(new RuntimeModel(catalog), decisions, _ => { });
        var zoneOf = new Dictionary<string, string>();
        for (var i = 0; i < 2_000; i++)
        {
            zoneOf[$"c{i}"] = Zones[(i * 7) % Zones.Length];
            processor.Identify(new CustomerProfile($"c{i}", null, zoneOf[$"c{i}"]), Sim.T.UtcTicks);
        }

        processor.AdvanceTo(Sim.T.AddDays(7).UtcTicks);
        Assert.Equal(2_000, decisions.Entered.Count);
        Assert.All(decisions.Entered, d => Assert.Equal(MondayTenAfter(Sim.T, zoneOf[d.CustomerId]), d.Timestamp));
        Assert.Equal(2_000, decisions.Entered.Select(d => d.CustomerId).Distinct().Count());

        var moved = Sim.T.AddDays(7);
        for (var i = 0; i < 2_000; i += 2)
        {
            zoneOf[$"c{i}"] = Zones[(Array.IndexOf(Zones, zoneOf[$"c{i}"]) + 1 + (i % 3)) % Zones.Length];
            processor.Identify(new CustomerProfile($"c{i}", null, zoneOf[$"c{i}"]), moved.UtcTicks);
        }

        decisions.Entered.Clear();
        processor.AdvanceTo(Sim.T.AddDays(14).UtcTicks);
        var expected = zoneOf.Where(z => MondayTenAfter(moved, z.Value) <= Sim.T.AddDays(14))
            .ToDictionary(z => z.Key, z => MondayTenAfter(moved, z.Value));
        Assert.True(expected.Count > 1_000, $"only {expected.Count} customers due in the second week");
        Assert.Equal(expected.Count, decisions.Entered.Count);
        Assert.All(decisions.Entered, d => Assert.Equal(expected[d.CustomerId], d.Timestamp));
    }

    [Fact]
    public void Schedule_CustomersMovingBetweenZonesAfterAnOccurrence_AreEnteredOnceInTheirNewZone()
    {
        var catalog = Sim.Load(ScheduleEntryTests.Journey("weekly", "{ every: week, on: mon, at: \"10:00\" }"));
        var decisions = new Count();
        var processor = new PartitionProcessor(new RuntimeModel(catalog), decisions, _ => { });
        for (var i = 0; i < 100; i++)
        {
            processor.Identify(new CustomerProfile($"c{i}", null, "Asia/Shanghai"), Sim.T.UtcTicks);
        }

        processor.AdvanceTo(Sim.T.AddDays(8).UtcTicks); // 12 January, 02:00Z: all 100 entered in Shanghai
        for (var i = 0; i < 10; i++) // few movers: applied by removal from the zone they left, not a rebuild
        {
            processor.Identify(new CustomerProfile($"c{i}", null, "America/New_York"), Sim.T.AddDays(9).UtcTicks);
            processor.Identify(new CustomerProfile($"c{i}", null, "Europe/Berlin"), Sim.T.AddDays(9).UtcTicks);
        }

        processor.AdvanceTo(Sim.T.AddDays(15).UtcTicks); // 19 January: 90 in Shanghai, 10 in Berlin

        Assert.Equal(200, decisions.Entered);
    }

    [Fact]
    public void Schedule_CustomerForgottenOrMergedAway_LeavesItsZoneGroupAndIsNeverEnteredAgain()
    {
        var catalog = Sim.Load(ScheduleEntryTests.Journey("weekly", "{ every: week, on: mon, at: \"10:00\" }"));
        var decisions = new Count();
        var processor = new PartitionProcessor(new RuntimeModel(catalog), decisions, _ => { });
        for (var i = 0; i < 10; i++)
        {
            processor.Identify(new CustomerProfile($"c{i}", null, "Asia/Shanghai"), Sim.T.UtcTicks);
        }

        processor.AdvanceTo(Sim.T.AddDays(8).UtcTicks); // 12 January: all 10 entered (and their one-step runs completed)
        Assert.NotNull(processor.Forget("c1", Sim.T.AddDays(9).UtcTicks));
        processor.TakeForMerge("c2", Sim.T.AddDays(9).UtcTicks); // c2's state is handed to another partition's customer

        processor.AdvanceTo(Sim.T.AddDays(15).UtcTicks); // 19 January: the 8 still held here

        Assert.Equal(18, decisions.Entered);
    }
}
