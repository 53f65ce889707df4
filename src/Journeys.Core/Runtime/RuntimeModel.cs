using Journeys.Definitions;
using Journeys.Loading;
using Journeys.Rules;

namespace Journeys.Runtime;

/// <summary>A catalog compiled for running: journeys as tables, journeys indexed by the event types that can affect
/// them, activity slots by event type. Immutable and shared by all partitions.</summary>
internal sealed class RuntimeModel
{
    private static readonly int[] None = [];

    public RuntimeModel(JourneyCatalog catalog)
    {
        Catalog = catalog;
        Journeys = catalog.Journeys.Select((j, i) => new CompiledJourney(i, j)).ToArray();
        ByEvent = Journeys
            .SelectMany(j => j.EventTypes().Distinct(StringComparer.Ordinal).Select(t => (Type: t, j.Index)))
            .GroupBy(x => x.Type, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Index).Distinct().Order().ToArray(), StringComparer.Ordinal);
        WhenJourneys = Journeys.Where(j => j.Definition.Entry is ConditionEntry).Select(j => j.Index).ToArray();
        DateJourneys = Journeys.Where(j => j.Definition.Entry is DateEntry).Select(j => j.Index).ToArray();
        InactiveJourneys = Journeys.Where(j => j.Definition.Entry is InactivityEntry).Select(j => j.Index).ToArray();
        InactiveSlots = Journeys.Select(j => j.Definition.Entry is InactivityEntry ie
            ? ie.Of.Select(t => catalog.Activity.TryGetSlot(t, out var s) ? s : -1).Where(s => s >= 0).ToArray()
            : None).ToArray();
        InactiveJourneysBySlot = catalog.Activity.Slots
            .Select(s => InactiveJourneys.Where(j => InactiveSlots[j].Contains(s.Index)).ToArray())
            .ToArray();
        ActivityWindows = catalog.Activity.Slots.Select(s => s.LongestWindow.Ticks).ToArray();
        SlotByEvent = catalog.Activity.Slots.ToDictionary(s => s.EventType, s => s.Index, StringComparer.Ordinal);
        Tiers = catalog.Policy.Tiers.ToArray();
        ChannelNames = Journeys.SelectMany(j => j.Steps).SelectMany(s => s.Sends).Select(s => s.Channel)
            .Concat(catalog.Policy.Caps.Where(c => c.Channel is not null).Select(c => c.Channel!))
            .Distinct(StringComparer.Ordinal).ToArray();
        ChannelIndex = ChannelNames.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.Ordinal);
        Rules = catalog.Rules;
        EventTypes = ByEvent.Keys.Concat(SlotByEvent.Keys).Distinct(StringComparer.Ordinal).ToDictionary(
            t => t,
            t => new EventTypeInfo(SlotByEvent.TryGetValue(t, out var slot) ? slot : -1, JourneysFor(t)),
            StringComparer.Ordinal);
    }

    /// <summary>What an event type does, for every type a journey or an aggregate reads: one lookup per event.</summary>
    public Dictionary<string, EventTypeInfo> EventTypes { get; }

    public JourneyCatalog Catalog { get; }

    public CompiledJourney[] Journeys { get; }

    /// <summary>For each event type, the journeys it can affect, in journey order. Types not here touch no journey.</summary>
    public Dictionary<string, int[]> ByEvent { get; }

    public int[] WhenJourneys { get; }

    public int[] DateJourneys { get; }

    public int[] InactiveJourneys { get; }

    /// <summary>Per journey: the activity slots of its <c>inactive</c> entry's event types (empty for other journeys).</summary>
    public int[][] InactiveSlots { get; }

    /// <summary>Per activity slot: the journeys whose <c>inactive</c> entry that event type resets.</summary>
    public int[][] InactiveJourneysBySlot { get; }

    public long[] ActivityWindows { get; }

    public Dictionary<string, int> SlotByEvent { get; }

    public TierDefinition[] Tiers { get; }

    /// <summary>Every channel name the journeys and caps use, by a dense index (send logs store the index).</summary>
    public string[] ChannelNames { get; }

    public Dictionary<string, int> ChannelIndex { get; }

    public RuleSet Rules { get; }

    public int[] JourneysFor(string eventType) => ByEvent.TryGetValue(eventType, out var j) ? j : None;
}

/// <summary>What events of one type touch.</summary>
/// <param name="Slot">The activity slot the type records into, or -1 when no aggregate reads it.</param>
/// <param name="Journeys">The journeys the type can affect, in journey order.</param>
internal sealed record EventTypeInfo(int Slot, int[] Journeys);
