namespace Journeys.Language.Definitions;

/// <summary>Whether a customer who entered a journey before may enter it again.</summary>
/// <param name="Kind">Never, always, or after a minimum gap.</param>
/// <param name="MinimumGap">For <see cref="ReentryKind.AfterGap"/>: the least time between two entries.</param>
internal sealed record ReentryPolicy(ReentryKind Kind, TimeSpan MinimumGap)
{
    /// <summary>A customer enters at most once (the default).</summary>
    public static ReentryPolicy Never { get; } = new(ReentryKind.Never, TimeSpan.Zero);

    /// <summary>A customer may enter again whenever they are not inside the journey.</summary>
    public static ReentryPolicy Always { get; } = new(ReentryKind.Always, TimeSpan.Zero);

    /// <summary>Formats as the operator writes it.</summary>
    public override string ToString() => Kind switch
    {
        ReentryKind.Never => "never",
        ReentryKind.Always => "always",
        _ => Duration.Format(MinimumGap),
    };
}
