using Journeys.Diagnostics;
using Journeys.Language.Definitions;

namespace Journeys.Inspection;

/// <summary>A loaded journey as the operator wrote it, for reading: its entry, re-entry, exits, goal, versioning and
/// steps, each with where it was written and expressions as their source text. Immutable; made once per catalog
/// (<c>catalog.Journeys</c>), as Stateless exposes its machine through <c>GetInfo()</c>.</summary>
public sealed class JourneyInfo
{
    internal JourneyInfo(JourneyDefinition journey)
    {
        Definition = journey;
        Id = journey.Id;
        Version = journey.Version;
        Description = journey.Description;
        Entry = new EntryInfo(journey.Entry);
        Reentry = new ReentryInfo(journey.Reentry);
        Exits = journey.Exits.Select(e => new ExitInfo(e)).ToList();
        Goal = journey.Goal is { } goal ? new GoalInfo(goal) : null;
        Versioning = journey.Versioning;
        Start = journey.Start;
        Steps = journey.Steps.Select(s => new StepInfo(s)).ToList();
        Location = journey.Location;
    }

    /// <summary>The journey's id, unique in its folder.</summary>
    public string Id { get; }

    /// <summary>The version; a higher version replaces a lower one.</summary>
    public int Version { get; }

    /// <summary>Free text for operators, or null.</summary>
    public string? Description { get; }

    /// <summary>How customers enter.</summary>
    public EntryInfo Entry { get; }

    /// <summary>Whether and when a customer may enter again.</summary>
    public ReentryInfo Reentry { get; }

    /// <summary>The events that make a customer leave at once, from any step, in the order written.</summary>
    public IReadOnlyList<ExitInfo> Exits { get; }

    /// <summary>The conversion the journey aims for, or null.</summary>
    public GoalInfo? Goal { get; }

    /// <summary>What happens to customers in flight when a higher version is deployed.</summary>
    public VersioningMode Versioning { get; }

    /// <summary>The name of the first step.</summary>
    public string Start { get; }

    /// <summary>The steps in the order written.</summary>
    public IReadOnlyList<StepInfo> Steps { get; }

    /// <summary>Where the journey was written (its <c>journey:</c> key).</summary>
    public SourceLocation Location { get; }

    /// <summary>The definition this describes: for the diagrams, which draw it through its Stateless machine.</summary>
    internal JourneyDefinition Definition { get; }

    /// <summary>Finds a step by name, or null.</summary>
    public StepInfo? FindStep(string name) => Steps.FirstOrDefault(s => s.Name == name);

    /// <summary>Returns <c>id vN</c>.</summary>
    public override string ToString() => $"{Id} v{Version}";
}
