using Journeys.Diagnostics;
using Journeys.Language.Definitions;

namespace Journeys.Inspection;

/// <summary>An event a step publishes on arrival (<c>emit: { event: vip_joined, properties: { source: "'boost'" } }</c>).</summary>
public sealed class EmitInfo
{
    internal EmitInfo(EmitDefinition emit)
    {
        EventType = emit.EventType;
        Properties = emit.Properties.Select(p => new KeyValuePair<string, string>(p.Key, p.Value.Text)).ToList();
        Location = emit.Location;
    }

    /// <summary>The event's type.</summary>
    public string EventType { get; }

    /// <summary>The event's properties: each name with its expression's source text, in the order written.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Properties { get; }

    /// <summary>Where the emit was written.</summary>
    public SourceLocation Location { get; }
}
