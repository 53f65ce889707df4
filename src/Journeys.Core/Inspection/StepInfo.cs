using Journeys.Diagnostics;
using Journeys.Language.Definitions;

namespace Journeys.Inspection;

/// <summary>A step of a journey: the messages sent on arrival, then the transitions tried in the order written.</summary>
public sealed class StepInfo
{
    internal StepInfo(StepDefinition step)
    {
        Name = step.Name;
        Sends = step.Sends.Select(s => new SendInfo(s)).ToList();
        Set = step.Set.Select(a => new KeyValuePair<string, string?>(a.Trait, a.Value?.Text)).ToList();
        Emits = step.Emits.Select(e => new EmitInfo(e)).ToList();
        Call = step.Call is { } call ? new CallInfo(call) : null;
        Transitions = step.Transitions.Select((t, i) => new TransitionInfo(t, step.Transitions.Take(i))).ToList();
        Location = step.Location;
    }

    /// <summary>The step's name, unique in its journey.</summary>
    public string Name { get; }

    /// <summary>The messages sent when a customer arrives, in order.</summary>
    public IReadOnlyList<SendInfo> Sends { get; }

    /// <summary>The traits stored on arrival (<c>set:</c>, before the sends): each trait with its expression's source
    /// text, null for one the step removes (<c>~</c>), in the order written.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Set { get; }

    /// <summary>The events published on arrival (<c>emit:</c>, after the sends), in order.</summary>
    public IReadOnlyList<EmitInfo> Emits { get; }

    /// <summary>The action asked on arrival (<c>call:</c>, after the emits), or null; a step that calls waits for the
    /// answer (<c>on: $done</c>, <c>on: $failed</c>) instead of taking arrival branches.</summary>
    public CallInfo? Call { get; }

    /// <summary>The ways out, in the order written; empty when the journey completes here.</summary>
    public IReadOnlyList<TransitionInfo> Transitions { get; }

    /// <summary>Where the step was written.</summary>
    public SourceLocation Location { get; }
}
