namespace Journeys.State;

/// <summary>Everything the engine knows about one customer. Owned by exactly one partition worker: never shared
/// between threads, so nothing here locks.</summary>
internal sealed class CustomerState
{
    /// <summary>The tier of a customer who matches none of the policy's tiers (<c>default</c>).</summary>
    public const string DefaultTier = "default";

    public CustomerState(string id, int journeyCount)
    {
        _id = id;
        _memory = journeyCount > SparseJourneys ? new JourneyMemory[journeyCount] : [];
    }

    /// <summary>Models with up to this many journeys keep per customer only the journeys the customer has state in.</summary>
    internal const int SparseJourneys = 64;

    // Per journey the customer has state in (an instance, entries, a pending check, a when memo), in journey order:
    // bit j of _present says journey j has an entry, at the position of the bits below it. Position 0 is _first, in the
    // object itself, the others are _memory's (position p at _memory[p - 1]): a customer in one journey (most, and every
    // customer a schedule's occurrence enters) has no array of its own, so entering makes no second object that lives on.
    // A customer's memory grows with the journeys they touch, not with the journeys the model has. A model with more than
    // SparseJourneys journeys keeps one entry per journey in _memory instead (the array is then longer than
    // SparseJourneys, which is how that is told; _first is unused).
    private JourneyMemory[] _memory;
    private JourneyMemory _first;
    private ulong _present;
    private static readonly JourneyMemory NoMemory;

    // The id as a string until the customer joins a CustomerTable; from then on the table, which holds the id in the
    // customer's slot anyway: a resident customer keeps no string of its own.
    private object _id;

    /// <summary>The customer's id. For a customer in a <see cref="CustomerTable"/>, made from the table's copy when
    /// asked for (decisions, messages, snapshots: never on the path of an event that changes nothing).</summary>
    public string Id => _id as string ?? ((CustomerTable)_id).IdOf(this);

    /// <summary>From now on <paramref name="table"/> holds the id (see <see cref="Id"/>).</summary>
    internal void IdHeldBy(CustomerTable table) => _id = table;

    /// <summary>From now on the customer holds its id as <paramref name="id"/> again (replaced in its table).</summary>
    internal void IdHeldBy(string id) => _id = id;

    // Time zone and tier by number (see SmallIndex): two bytes each instead of a reference, in what was the object's padding.
    private ushort _zone;
    private ushort _tier;

    /// <summary>The customer's time zone, numbered in the engine's <paramref name="registry"/>.</summary>
    public TimeZoneInfo TimeZoneIn(CustomerRegistry registry) => registry.Zones[_zone];

    /// <summary>The number of the customer's time zone in the engine's registry (0: UTC).</summary>
    public int ZoneNumber => _zone;

    /// <summary>Sets the customer's time zone, numbering it in the engine's <paramref name="registry"/>.</summary>
    public void SetTimeZone(CustomerRegistry registry, TimeZoneInfo zone) => _zone = registry.Zones.NumberOf(zone);

    /// <summary>The customer's traits: a mutable struct, used in place through this field.</summary>
    public TraitBag Traits;

    /// <summary>The tier last derived (see <c>PaceStage.DeriveTier</c>), numbered in the engine's
    /// <paramref name="registry"/>; <c>default</c> at first.</summary>
    public string TierIn(CustomerRegistry registry) => registry.Tiers[_tier];

    /// <summary>Records the tier derived, numbering it in the engine's <paramref name="registry"/>.</summary>
    public void SetTier(CustomerRegistry registry, string tier) => _tier = registry.Tiers.NumberOf(tier);

    /// <summary>Activity aggregates: a mutable struct, used in place through this field.</summary>
    public ActivityLog Activity;

    /// <summary>Amounts for <c>sum(...)</c>: a mutable struct, used in place through this field (null inside until the
    /// first event of a summed type, so a model without <c>sum</c> keeps nothing but the reference).</summary>
    public PropertySums Sums;

    /// <summary>When the customer was first seen (an event or an identify), in UTC ticks; 0 when never.</summary>
    public long FirstSeenTicks { get; set; }

    /// <summary>The customer's memory of journey <paramref name="journey"/> (index of the compiled journey): the active
    /// instance, entries counted, the last entry time, the pending entry check, the <c>when</c> memo. Read only: an
    /// untouched journey's is all empty. Valid until <see cref="UpdateMemoryOf"/> adds another journey's.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public ref readonly JourneyMemory MemoryOf(int journey)
    {
        var memory = _memory;
        if (memory.Length > SparseJourneys)
        {
            return ref memory[journey];
        }

        var bit = 1UL << journey;
        if ((_present & bit) == 0)
        {
            return ref NoMemory;
        }

        var at = System.Numerics.BitOperations.PopCount(_present & (bit - 1));
        if (at == 0)
        {
            return ref _first;
        }

        return ref memory[at - 1];
    }

    /// <summary>The customer's memory of journey <paramref name="journey"/>, to change in place; added (empty) when the
    /// customer has none yet, which moves the others: re-take references held to other journeys' memories after this.</summary>
    public ref JourneyMemory UpdateMemoryOf(int journey)
    {
        var memory = _memory;
        if (memory.Length > SparseJourneys)
        {
            return ref memory[journey];
        }

        var bit = 1UL << journey;
        var at = System.Numerics.BitOperations.PopCount(_present & (bit - 1));
        if ((_present & bit) == 0)
        {
            if (_present != 0) // the first journey's memory takes _first; another one grows the array by one
            {
                var grown = new JourneyMemory[memory.Length + 1];
                if (at == 0)
                {
                    grown[0] = _first; // the new one comes first: the one in _first moves to the array's front
                    Array.Copy(memory, 0, grown, 1, memory.Length);
                    _first = default;
                }
                else
                {
                    Array.Copy(memory, grown, at - 1);
                    Array.Copy(memory, at - 1, grown, at, memory.Length - (at - 1));
                }

                _memory = grown;
            }

            _present |= bit;
        }

        if (at == 0)
        {
            return ref _first;
        }

        return ref _memory[at - 1];
    }

    /// <summary>The customer's open run of journey <paramref name="journey"/> (the first, for a journey with cases: walk
    /// <see cref="JourneyInstance.NextCase"/>), or null when the customer is not inside it.</summary>
    public JourneyInstance? RunOf(int journey)
    {
        ref readonly var memory = ref MemoryOf(journey);
        if (memory.Runs is { } run)
        {
            return new JourneyInstance(run);
        }

        return memory.Run.Live ? new JourneyInstance(this, journey, memory.Run.Sequence) : null;
    }

    /// <summary>Opens an inline run of journey <paramref name="journey"/> (the caller made sure none is open) and returns it.</summary>
    public JourneyInstance StartInlineRun(int journey, int version, int sequence, long enteredTicks)
    {
        UpdateMemoryOf(journey).Run = new InlineRun(version, sequence, enteredTicks);
        return new JourneyInstance(this, journey, sequence);
    }

    /// <summary>The inline run of journey <paramref name="journey"/>, which must still be run <paramref name="sequence"/>
    /// (open, or ended with no entry since): a handle to a run the customer has since left and re-entered is stale.</summary>
    internal ref InlineRun InlineRunOf(int journey, int sequence)
    {
        ref var memory = ref UpdateMemoryOf(journey);
        if (memory.Run.Sequence != sequence)
        {
            throw new InvalidOperationException($"stale run: journey {journey}'s inline run is entry {memory.Run.Sequence}, not {sequence}");
        }

        return ref memory.Run;
    }

    /// <summary>How many journey memories the customer keeps: the journeys they have state in, or (models of more than
    /// <see cref="SparseJourneys"/> journeys) every journey. Read them with <see cref="MemoryAt"/>.</summary>
    internal int MemoryCount => _memory.Length > SparseJourneys ? _memory.Length : System.Numerics.BitOperations.PopCount(_present);

    /// <summary>The memory at <paramref name="position"/> (0 to <see cref="MemoryCount"/> - 1, in journey order), for a
    /// scan over all of them.</summary>
    internal ref readonly JourneyMemory MemoryAt(int position)
    {
        if (_memory.Length > SparseJourneys)
        {
            return ref _memory[position];
        }

        if ((uint)position >= (uint)System.Numerics.BitOperations.PopCount(_present))
        {
            throw new ArgumentOutOfRangeException(nameof(position));
        }

        if (position == 0)
        {
            return ref _first;
        }

        return ref _memory[position - 1];
    }

    /// <summary>The array the memories of a second and further journeys sit in (read only to prefetch it).</summary>
    internal JourneyMemory[] MemoryArray => _memory;

    /// <summary>Bumped whenever activity is recorded or traits change: what expressions over the customer read.</summary>
    public int StateVersion { get; set; }

    /// <summary>The customer's slot in its partition's <see cref="CustomerTable"/>, kept by the table.</summary>
    public int Slot
    {
        get => _slot & SlotBits;
        set => _slot = (value & SlotBits) | (_slot & ~SlotBits);
    }

    private const int SlotBits = 0x3FFF_FFFF; // up to 2^30 slots
    private const int TouchedBit = 0x4000_0000;

    private int _slot; // the sign bit holds Dirty, the next Touched: one byte less rounds the object down by eight

    /// <summary>Changed since the partition's last idle sweep (or restored since): not evicted by that sweep.</summary>
    public bool Touched
    {
        get => (_slot & TouchedBit) != 0;
        set => _slot = value ? _slot | TouchedBit : _slot & ~TouchedBit;
    }

    /// <summary>Rule results for the current traits: a mutable struct, used in place through this field.</summary>
    public RuleMemo RuleMemo;

    /// <summary>Recent capped sends: a mutable struct, used in place through this field.</summary>
    public SendLog SendLog;

    /// <summary>Sends waiting for quiet hours to end or a cap to free a slot: an array of exactly those (null when none),
    /// replaced on change — they change at the pace of sends, and a list would keep spare room and an object of its own.</summary>
    public DeferredSend[]? Deferred { get; private set; }

    public void AddDeferred(in DeferredSend send) => Deferred = Deferred is { } pending ? [.. pending, send] : [send];

    /// <summary>Removes the waiting sends <paramref name="match"/> picks.</summary>
    public void RemoveDeferred(Predicate<DeferredSend> match)
    {
        if (Deferred is { } pending && Array.FindAll(pending, d => !match(d)) is var kept && kept.Length != pending.Length)
        {
            Deferred = kept.Length == 0 ? null : kept;
        }
    }

    /// <summary>Changed since the partition last handed its changes to the store.</summary>
    public bool Dirty
    {
        get => _slot < 0;
        set => _slot = value ? _slot | int.MinValue : _slot & int.MaxValue;
    }

    /// <summary>The history of case keys of the journeys with <c>case:</c> the customer entered, or null (most customers).</summary>
    public CaseHistory? Cases { get; set; }

    public Value GetTrait(string name) => Traits.TryGetValue(name, out var v) ? v : Value.Null;
}
