using Journeys.Language.Definitions;

namespace Journeys.Inspection;

/// <summary>Whether a customer who entered a journey before may enter it again (<c>reentry:</c>).</summary>
public sealed class ReentryInfo
{
    internal ReentryInfo(ReentryPolicy reentry)
    {
        Kind = reentry.Kind;
        MinimumGap = reentry.MinimumGap;
        Text = reentry.ToString();
    }

    /// <summary>Never (the default), always, or after a minimum gap.</summary>
    public ReentryKind Kind { get; }

    /// <summary>With <see cref="ReentryKind.AfterGap"/>: the least time between two entries; zero otherwise.</summary>
    public TimeSpan MinimumGap { get; }

    /// <summary>As the operator writes it: <c>never</c>, <c>always</c> or a duration such as <c>90d</c>.</summary>
    public string Text { get; }

    /// <summary>Returns <see cref="Text"/>.</summary>
    public override string ToString() => Text;
}
