using Journeys.Diagnostics;

namespace Journeys.Language.Definitions;

/// <summary>How customers enter a journey: one of <see cref="EventEntry"/>, <see cref="ConditionEntry"/>,
/// <see cref="InactivityEntry"/> or <see cref="DateEntry"/>.</summary>
internal abstract record EntryDefinition
{
    /// <summary>Where the entry was defined.</summary>
    public SourceLocation Location { get; init; }

    /// <summary>A short operator-facing description, such as <c>on signed_up</c>.</summary>
    public abstract string Describe();
}
