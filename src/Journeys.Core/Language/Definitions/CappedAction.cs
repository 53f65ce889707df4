namespace Journeys.Language.Definitions;

/// <summary>What happens to a send a frequency cap refuses (<c>whenCapped</c>).</summary>
public enum CappedAction
{
    /// <summary>The send is dropped and recorded as suppressed (the default).</summary>
    Skip,

    /// <summary>The send waits until a cap allows it, at most <see cref="PolicyDefinition.DeferFor"/>.</summary>
    Defer,
}
