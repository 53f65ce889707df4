using Journeys.Definitions;

namespace Journeys.Runtime;

/// <summary>A journey compiled into tables for the per-event path: steps by index, transitions by event type,
/// each step's earliest timer. Built once at engine start.</summary>
internal sealed class CompiledJourney
{
    public CompiledJourney(int index, JourneyDefinition definition)
    {
        Index = index;
        Definition = definition;
        var names = definition.Steps.Select((s, i) => (s.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        int Target(string name) => name == TransitionDefinition.End ? CompiledStep.End : names[name];
        Steps = definition.Steps.Select((s, i) => new CompiledStep(i, s, Target)).ToArray();
        Start = names[definition.Start];
        ExitsByEvent = definition.Exits.GroupBy(e => e.EventType, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    public int Index { get; }

    public JourneyDefinition Definition { get; }

    public string Id => Definition.Id;

    public int Version => Definition.Version;

    public CompiledStep[] Steps { get; }

    public int Start { get; }

    public Dictionary<string, ExitRule[]> ExitsByEvent { get; }

    /// <summary>Every event type this journey reacts to in any way (entry, exits, goal, transitions).</summary>
    public IEnumerable<string> EventTypes()
    {
        if (Definition.Entry is EventEntry e)
        {
            yield return e.EventType;
        }

        foreach (var type in ExitsByEvent.Keys)
        {
            yield return type;
        }

        if (Definition.Goal is { } goal)
        {
            yield return goal.EventType;
        }

        foreach (var step in Steps)
        {
            foreach (var type in step.OnEvent.Keys)
            {
                yield return type;
            }
        }
    }
}
