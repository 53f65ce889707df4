using Journeys.Language.Graph;
using Journeys.Language.Loading;
using Journeys.Tests.Runtime;

namespace Journeys.Tests.Schedules;

/// <summary><c>graph</c> draws a schedule entry with its rule and guard; <c>explain</c> says which occurrence entered the
/// customer, in their zone.</summary>
public sealed class ScheduleCliTests : IDisposable
{
    private static readonly string Gold = ScheduleEntryTests.Journey("weekly", "{ every: week, on: mon, at: \"10:00\" }", "customer.plan == 'gold'");

    private readonly SimulationFolder _folder = new(("weekly.yaml", Gold));

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Graph_ScheduleEntry_DrawsTheRuleAndTheGuardOnTheEntryTransition()
    {
        var journey = JourneyLoader.LoadYaml(("weekly.yaml", Gold)).ThrowIfInvalid().Journeys.Single();

        var mermaid = JourneyGraph.ToMermaid(journey);
        var dot = JourneyGraph.ToDot(journey);

        Assert.Contains("entry: schedule every week on mon at 10:00 [customer.plan == 'gold']", mermaid, StringComparison.Ordinal);
        Assert.Contains("entry: schedule every week on mon at 10:00 [customer.plan == 'gold']", dot, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_CustomerEnteredBySchedule_NamesTheRuleAndTheOccurrenceInTheirZone()
    {
        var events = _folder.Write("events.jsonl",
            """{"type":"identify","userId":"c1","timestamp":"2026-01-05T09:00:00Z","traits":{"timeZone":"Asia/Shanghai","plan":"gold"}}""");

        var (exit, stdout, stderr) = _folder.Run("explain", _folder.Journeys, "--events", events, "--user", "c1", "--until", "2026-01-13T00:00:00Z");

        Assert.Equal((0, ""), (exit, stderr));
        Assert.Contains(
            "2026-01-12T02:00:00Z    weekly v1: entered at step 'hello' — entry schedule every week on mon at 10:00 if customer.plan == 'gold', " +
            "the occurrence of 2026-01-12T10:00:00+08:00",
            stdout, StringComparison.Ordinal);
    }
}
