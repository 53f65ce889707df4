using Journeys.Diagnostics;
using Journeys.Language.Expressions;

namespace Journeys.Language.Definitions;

/// <summary>A step's <c>call:</c>: the action the host registered under <paramref name="Action"/>, asked with the
/// <c>with:</c> arguments evaluated on arrival; the step waits for its answer (<c>on: $done</c>, <c>on: $failed</c>).</summary>
/// <param name="Action">The action's name.</param>
/// <param name="With">The arguments: name and expression, in the order written.</param>
internal sealed record CallDefinition(string Action, IReadOnlyList<KeyValuePair<string, JourneyExpression>> With)
{
    /// <summary>The answer of a call, read as <c>on: $done</c> in the step's transitions.</summary>
    public const string Done = "$done";

    /// <summary>A call, or the step's send, gave up: <c>on: $failed</c>.</summary>
    public const string Failed = "$failed";

    /// <summary>Where the call was written.</summary>
    public SourceLocation Location { get; init; }

    /// <summary>Where the action's name was written (what an unknown action's message points at).</summary>
    public SourceLocation ActionLocation { get; init; }
}
