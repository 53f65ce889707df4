using Journeys.Analytics;
using Journeys.Decisions;
using Journeys.Inspection;

namespace Journeys.Sample;

/// <summary>The table per journey and step operators read to see how a journey performs, counted by
/// <see cref="JourneyFunnel"/> — the same counter as <c>journeys report</c> and the dashboard.</summary>
internal sealed class JourneyStats
{
    private readonly JourneyFunnel _funnel = new();

    public long Decisions => _funnel.Decisions;

    public void Add(JourneyDecision d) => _funnel.Add(d);

    public void Print(TextWriter output, IEnumerable<JourneyInfo> journeys)
    {
        output.WriteLine($"{"journey / step",-36}{"arrived",10}{"sent",10}{"suppr.",10}{"goal",10}{"exited",10}{"complete",10}");
        output.WriteLine(new string('-', 96));
        var report = _funnel.Report(journeys);
        foreach (var row in report.Rows)
        {
            output.WriteLine($"{(row.Step is null ? row.Journey : "  " + row.Step),-36}{row.Arrived,10:N0}{row.Sent,10:N0}{row.Suppressed,10:N0}{row.Goal,10:N0}{row.Exited,10:N0}{row.Completed,10:N0}");
        }

        foreach (var b in report.Branches)
        {
            var lift = b.IsReference ? "the reference" : b.Lift is { } l ? $"lift {l * 100:+0.0;-0.0}pp [{b.LiftLow * 100:+0.0;-0.0}, {b.LiftHigh * 100:+0.0;-0.0}]" : "no lift yet";
            output.WriteLine($"{b.Journey} split at {b.Step} -> {b.Branch}: {b.Arrived:N0} runs, {b.Goal:N0} goals ({b.Conversion * 100:0.0}%), {lift}");
        }

        output.WriteLine();
        foreach (var line in Legend)
        {
            output.WriteLine(line);
        }
    }

    /// <summary>What each column counts (on a journey's row, <c>arrived</c> counts its entries; the others sum its steps').</summary>
    internal static readonly string[] Legend =
    [
        "arrived   on a step: customers who entered at it or moved into it; on a journey: its entries",
        "sent      messages sent from the step",
        "suppr.    sends held back: a frequency cap, quiet hours (deferred sends are not counted) or no consent",
        "goal      customers who reached the journey's goal while at the step",
        "exited    customers who left by an exit rule while at the step",
        "complete  customers who finished the journey at the step (no 'then', or 'goto: end')",
    ];
}
