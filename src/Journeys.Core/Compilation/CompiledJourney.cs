using Journeys.Language.Definitions;

namespace Journeys.Compilation;

/// <summary>A journey compiled into tables for the per-event path: steps by index, transitions by event type,
/// each step's earliest timer. Built once at engine start.</summary>
internal sealed class CompiledJourney
{
    /// <param name="index">The journey's index in the runtime model.</param>
    /// <param name="definition">The definition.</param>
    /// <param name="current">For a retired version: the index of the current version of the same journey id; else -1.</param>
    public CompiledJourney(int index, JourneyDefinition definition, int current = -1)
    {
        Index = index;
        Current = current < 0 ? index : current;
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

    /// <summary>The index of the journey id's current version: this journey's own index, unless it is a retired version
    /// that customers who entered it finish on (<c>versioning: finish</c>). Entry history and caps count per id, there.</summary>
    public int Current { get; }

    /// <summary>False for a retired version: nobody enters it; customers already inside finish on it.</summary>
    public bool AcceptsEntries => Current == Index;

    /// <summary>For a current version: the indices of its retired versions still running (usually none). A customer inside
    /// one of them is inside the journey for the re-entry rules.</summary>
    public int[] Retired { get; set; } = [];

    public string Id => Definition.Id;

    public int Version => Definition.Version;

    public CompiledStep[] Steps { get; }

    public int Start { get; }

    public Dictionary<string, ExitRule[]> ExitsByEvent { get; }

    /// <summary>Every event type this journey reacts to in any way (entry, exits, goal, transitions).</summary>
    public IEnumerable<string> EventTypes()
    {
        if (Definition.Entry is EventEntry e && AcceptsEntries)
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
