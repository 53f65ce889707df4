using Journeys.Calendars;
using Journeys.Diagnostics;
using Journeys.Language.Expressions;

namespace Journeys.Language.Definitions;

/// <summary>A journey as the operator wrote it, checked and with its expressions compiled. Immutable.</summary>
internal sealed record JourneyDefinition
{
    /// <summary>The journey's id: lowercase letters, digits and dashes, unique in its folder.</summary>
    public required string Id { get; init; }

    /// <summary>The version; a higher version replaces a lower one.</summary>
    public required int Version { get; init; }

    /// <summary>Free text for operators.</summary>
    public string? Description { get; init; }

    /// <summary>How customers enter.</summary>
    public required EntryDefinition Entry { get; init; }

    /// <summary>Whether and when a customer may enter again.</summary>
    public ReentryPolicy Reentry { get; init; } = ReentryPolicy.Never;

    /// <summary>Events that make a customer leave at once, from any step.</summary>
    public IReadOnlyList<ExitRule> Exits { get; init; } = [];

    /// <summary>The conversion the journey aims for, if any.</summary>
    public GoalDefinition? Goal { get; init; }

    /// <summary>What happens to customers in flight when a new version is deployed.</summary>
    public VersioningMode Versioning { get; init; } = VersioningMode.Finish;

    /// <summary>The working-time calendar its <c>bd</c> and <c>bh</c> durations count on (<c>calendar:</c>, else the
    /// policy's only calendar), or null.</summary>
    public WorkingCalendar? Calendar { get; init; }

    /// <summary>The case key (<c>case:</c>), an expression over the entering event: one run per distinct value (as text);
    /// null for a journey of at most one run per customer.</summary>
    public JourneyExpression? Case { get; init; }

    /// <summary>The most runs of a journey with <see cref="Case"/> open at once per customer (<c>maxCases:</c>, default 100).</summary>
    public int MaxCases { get; init; } = 100;

    /// <summary>The name of the first step.</summary>
    public required string Start { get; init; }

    /// <summary>The steps in the order they were written.</summary>
    public required IReadOnlyList<StepDefinition> Steps { get; init; }

    /// <summary>Where the journey was defined.</summary>
    public SourceLocation Location { get; init; }

    /// <summary>The YAML text of the file the journey was loaded from (a store keeps it per version; see
    /// docs/operations.md), or null when unknown.</summary>
    internal string? Source { get; init; }

    /// <summary>Finds a step by name, or null.</summary>
    public StepDefinition? FindStep(string name)
    {
        foreach (var step in Steps)
        {
            if (step.Name == name)
            {
                return step;
            }
        }

        return null;
    }
}
