namespace Journeys.Language.Definitions;

/// <summary>The kinds of <see cref="ReentryPolicy"/>.</summary>
public enum ReentryKind
{
    /// <summary>Enter at most once.</summary>
    Never,

    /// <summary>Enter again whenever not inside.</summary>
    Always,

    /// <summary>Enter again once the minimum gap since the previous entry has passed.</summary>
    AfterGap,
}
