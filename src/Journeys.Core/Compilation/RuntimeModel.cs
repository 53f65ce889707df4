using Journeys.Inspection;
using Journeys.Language.Definitions;
using Journeys.Language.Loading;
using Journeys.Language.Rules;
using Journeys.State;

namespace Journeys.Compilation;

/// <summary>A catalog compiled for running: journeys as tables, journeys indexed by the event types that can affect
/// them, activity slots by event type. Immutable and shared by all partitions.</summary>
internal sealed class RuntimeModel
{
    private static readonly int[] None = [];

    /// <param name="catalog">The catalog: its journeys get indices 0 to n - 1, in catalog order.</param>
    /// <param name="retired">Older versions of catalog journeys that customers still finish on (<c>versioning: finish</c>):
    /// extra journeys after the catalog's, which accept no entries.</param>
    public RuntimeModel(JourneyCatalog catalog, IReadOnlyList<JourneyDefinition>? retired = null)
    {
        Catalog = catalog;
        Customers = new CustomerRegistry();
        var current = catalog.Definitions.Select((j, i) => (j.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        Journeys = catalog.Definitions.Select((j, i) => new CompiledJourney(i, j))
            .Concat((retired ?? []).Select((j, i) => new CompiledJourney(catalog.Definitions.Count + i, j, current[j.Id])))
            .ToArray();
        foreach (var journey in Journeys.Where(j => j.Entry == EntryKind.On && !j.KeepsEntry))
        {
            // entry.* in a template of one of its sends: its runs keep their entering event too.
            journey.KeepsEntry = journey.Steps.Any(s => s.Sends.Any(send => catalog.Templates.ReadsEntry(send.Template)));
        }

        foreach (var journey in Journeys.Where(j => j.AcceptsEntries))
        {
            journey.Retired = Journeys.Where(r => !r.AcceptsEntries && r.Current == journey.Index).Select(r => r.Index).ToArray();
        }

        var byEvent = Journeys
            .SelectMany(j => j.EventTypes().Distinct(StringComparer.Ordinal).Select(t => (Type: t, j.Index)))
            .GroupBy(x => x.Type, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Index).Distinct().Order().ToArray(), StringComparer.Ordinal);
        var entered = Journeys.Where(j => j.AcceptsEntries).ToArray();
        WhenJourneys = entered.Where(j => j.Entry == EntryKind.When).Select(j => j.Index).ToArray();
        EndUnsettlesWhenEntries = Journeys.Select(j => Journeys[j.Current].Entry == EntryKind.When).ToArray();
        DateJourneys = entered.Where(j => j.Entry == EntryKind.Date).Select(j => j.Index).ToArray();
        ScheduleJourneys = entered.Where(j => j.Entry == EntryKind.Schedule).Select(j => j.Index).ToArray();
        InactiveJourneys = entered.Where(j => j.Entry == EntryKind.Inactive).Select(j => j.Index).ToArray();
        InactiveSlots = Journeys.Select(j => j.AcceptsEntries && j.Entry == EntryKind.Inactive
            ? j.InactiveOf.Select(t => catalog.Activity.TryGetSlot(t, out var s) ? s : -1).Where(s => s >= 0).ToArray()
            : None).ToArray();
        InactiveJourneysBySlot = catalog.Activity.Slots
            .Select(s => InactiveJourneys.Where(j => InactiveSlots[j].Contains(s.Index)).ToArray())
            .ToArray();
        ActivityWindows = catalog.Activity.Slots.Select(s => s.LongestWindow.Ticks).ToArray();
        SumWindows = catalog.Activity.Sums.Select(s => s.LongestWindow.Ticks).ToArray();
        SumProperties = catalog.Activity.Sums.Select(s => s.Property).ToArray();
        SumsBySlot = catalog.Activity.Slots
            .Select(slot => catalog.Activity.Sums.Where(s => s.EventType == slot.EventType).Select(s => s.Index).ToArray())
            .ToArray();
        SlotByEvent = catalog.Activity.Slots.ToDictionary(s => s.EventType, s => s.Index, StringComparer.Ordinal);
        Tiers = catalog.PolicyDefinition.Tiers.ToArray();
        ChannelNames = Journeys.SelectMany(j => j.Steps).SelectMany(s => s.Sends).Select(s => s.Channel)
            .Concat(catalog.PolicyDefinition.Caps.Where(c => c.Channel is not null).Select(c => c.Channel!))
            .Distinct(StringComparer.Ordinal).ToArray();
        ChannelIndex = ChannelNames.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.Ordinal);
        Rules = catalog.Rules;
        EventTypes = byEvent.Keys.Concat(SlotByEvent.Keys).Distinct(StringComparer.Ordinal).ToDictionary(
            t => t,
            t => new EventTypeInfo(SlotByEvent.TryGetValue(t, out var slot) ? slot : -1, byEvent.GetValueOrDefault(t, None)),
            StringComparer.Ordinal);
    }

    /// <summary>What an event type does, for every type a journey or an aggregate reads: one lookup per event.</summary>
    public Dictionary<string, EventTypeInfo> EventTypes { get; }

    /// <summary>Moves to new journey versions waiting to be recorded for restored customers: one table per engine.</summary>
    public PendingMigrations Migrations { get; } = new();

    /// <summary>The time zones and tiers this engine's customers share by number: one registry per engine.</summary>
    public CustomerRegistry Customers { get; }

    public JourneyCatalog Catalog { get; }

    /// <summary>The catalog's journeys (indices 0 to n - 1), then the retired versions customers finish on.</summary>
    public CompiledJourney[] Journeys { get; }

    /// <summary>The current version of a journey id, or null.</summary>
    public CompiledJourney? Find(string journeyId) =>
        Array.Find(Journeys, j => j.AcceptsEntries && j.Id == journeyId);


    public int[] WhenJourneys { get; }

    /// <summary>Per journey: whether an instance of it ending may let a <c>when</c> entry fire (it is a <c>when</c>
    /// journey, or an older version of one). Other journeys' instances ending leave a settled customer settled.</summary>
    public bool[] EndUnsettlesWhenEntries { get; }

    public int[] DateJourneys { get; }

    /// <summary>The journeys with a <c>schedule:</c> entry (none: the partitions keep no schedule groups).</summary>
    public int[] ScheduleJourneys { get; }

    public int[] InactiveJourneys { get; }

    /// <summary>Per journey: the activity slots of its <c>inactive</c> entry's event types (empty for other journeys).</summary>
    public int[][] InactiveSlots { get; }

    /// <summary>Per activity slot: the journeys whose <c>inactive</c> entry that event type resets.</summary>
    public int[][] InactiveJourneysBySlot { get; }

    public long[] ActivityWindows { get; }

    /// <summary>Per sum slot: the longest window a <c>sum</c> reads of it, in ticks.</summary>
    public long[] SumWindows { get; }

    /// <summary>Per sum slot: the event property it adds up.</summary>
    public string[] SumProperties { get; }

    /// <summary>Per activity slot: the sum slots its events record into (empty for every slot of a model without
    /// <c>sum</c>, so the per-event path does nothing more for it).</summary>
    public int[][] SumsBySlot { get; }

    public Dictionary<string, int> SlotByEvent { get; }

    public TierDefinition[] Tiers { get; }

    /// <summary>Every channel name the journeys and caps use, by a dense index (send logs store the index).</summary>
    public string[] ChannelNames { get; }

    public Dictionary<string, int> ChannelIndex { get; }

    public RuleSet Rules { get; }
}

/// <summary>What events of one type touch.</summary>
/// <param name="Slot">The activity slot the type records into, or -1 when no aggregate reads it.</param>
/// <param name="Journeys">The journeys the type can affect, in journey order.</param>
internal sealed record EventTypeInfo(int Slot, int[] Journeys);
