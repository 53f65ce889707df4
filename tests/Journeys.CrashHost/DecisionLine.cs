namespace Journeys.CrashHost;

/// <summary>One line of the decisions log: the decision as operators read it.</summary>
internal sealed record DecisionLine(DateTimeOffset At, string Customer, string Journey, int Version, string Step, string Kind, string? Channel,
    string? Template, string? Category, string? Tier, string? Reason, string? From);
