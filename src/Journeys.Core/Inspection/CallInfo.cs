using Journeys.Diagnostics;
using Journeys.Language.Definitions;

namespace Journeys.Inspection;

/// <summary>The action a step asks on arrival (<c>call: { action: loyalty-credit, with: { points: "200" } }</c>); the
/// step waits for its answer: <c>on: $done</c> (with <c>result.&lt;field&gt;</c>) or <c>on: $failed</c>.</summary>
public sealed class CallInfo
{
    internal CallInfo(CallDefinition call)
    {
        Action = call.Action;
        With = call.With.Select(p => new KeyValuePair<string, string>(p.Key, p.Value.Text)).ToList();
        Location = call.Location;
        ActionLocation = call.ActionLocation;
    }

    /// <summary>The action's name, as the host registered it.</summary>
    public string Action { get; }

    /// <summary>The arguments: each name with its expression's source text, in the order written.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> With { get; }

    /// <summary>Where the call was written.</summary>
    public SourceLocation Location { get; }

    /// <summary>Where the action's name was written.</summary>
    public SourceLocation ActionLocation { get; }
}
