namespace Journeys.Analytics;

/// <summary>What <see cref="JourneyFunnel.Report"/> returns: the funnel rows (each journey's row, then its steps'), and
/// the rows of every split's branches.</summary>
/// <param name="Rows">Per journey: its row (<see cref="FunnelRow.Step"/> null), then one row per step, in the catalog's
/// order (steps only older versions had come after).</param>
/// <param name="Branches">Per split, one row per branch, in the order the split lists them.</param>
public sealed record FunnelReport(IReadOnlyList<FunnelRow> Rows, IReadOnlyList<BranchRow> Branches);
