using System.Globalization;
using Journeys.Language.Definitions;
using Journeys.Language.Expressions;

namespace Journeys.Inspection;

/// <summary>The words <c>journeys graph</c> puts on its edges, made in one place for the diagrams (Stateless triggers and
/// guard descriptions) and for <see cref="TransitionInfo.Label"/>, so the two cannot drift apart.</summary>
internal static class GraphLabels
{
    public const string Always = "always";
    public const string If = "if";
    public const string Split = "split";
    public const string Otherwise = "otherwise";

    public static string On(string eventType) => "on " + eventType;

    public static string After(TimeSpan after) => "after " + Duration.Format(after);

    /// <summary>The guard a diagram shows for a transition that shares its trigger with others written before it (first
    /// match wins): none for an unguarded first one, else the guard's text, or <c>otherwise</c> when it has none.</summary>
    public static string? FirstMatchGuard(JourneyExpression? guard, bool hasEarlier) =>
        guard is null && !hasEarlier ? null : guard?.Text ?? Otherwise;

    /// <summary>A split branch's share of the customers: <c>90%</c>, at most two decimals.</summary>
    public static string Share(double weight, double totalWeight) =>
        (weight / totalWeight * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    /// <summary>An edge's label as Mermaid prints it: the trigger, then the guard in brackets when there is one.</summary>
    public static string Edge(string trigger, string? guard) => guard is null ? trigger : $"{trigger} [{guard}]";
}
