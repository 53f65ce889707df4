namespace Journeys.State;

/// <summary>A customer inside a journey: where they are and since when. A handle, not an object of its own: a plain run
/// (most journeys) lives inline in the customer's <see cref="JourneyMemory"/> (<see cref="InlineRun"/>), so entering makes
/// no object that lives on — the GC never copies it, and no old customer points at a young run (a card the collector
/// scans on every collection until the run is promoted). A run that keeps more (a case key, its entering event) is an
/// <see cref="EnteredRun"/> object, which the handle then points at. Handles of one run compare equal.</summary>
/// <remarks>An inline run's data stays in the memory after the run ends (only its live mark is cleared), so a handle
/// read after <c>EndInstance</c> — a decision or an effect about the run that just ended — still reads that run. Once
/// the customer enters the journey again, the memory holds the new run and an old handle is stale: reading it throws
/// (<see cref="InvalidOperationException"/>) rather than reading another run's state.</remarks>
internal readonly struct JourneyInstance : IEquatable<JourneyInstance>
{
    private readonly object _owner;   // the EnteredRun, or the CustomerState holding the inline run
    private readonly int _journey;    // inline: the journey's index
    private readonly int _sequence;   // inline: the run's sequence (tells a stale handle)

    /// <summary>A handle to a run kept as an object.</summary>
    public JourneyInstance(EnteredRun run) => (_owner, _journey, _sequence) = (run, -1, run.Sequence);

    /// <summary>A handle to the inline run of sequence <paramref name="sequence"/> in <paramref name="customer"/>'s memory
    /// of journey <paramref name="journey"/>.</summary>
    public JourneyInstance(CustomerState customer, int journey, int sequence) => (_owner, _journey, _sequence) = (customer, journey, sequence);

    /// <summary>The run object, for a run kept as one (cases, entering event); null for an inline run.</summary>
    public EnteredRun? Heap => _owner as EnteredRun;

    /// <summary>The run's state: the object's, or the inline one in the customer's memory (which throws for a stale handle).</summary>
    private ref InlineRun State => ref (_owner is EnteredRun r ? ref r.State : ref ((CustomerState)_owner).InlineRunOf(_journey, _sequence));

    public int Version => State.Version;

    /// <summary>A number unique per customer and journey (1 for the first entry), part of idempotency keys.</summary>
    public int Sequence => _sequence;

    public long EnteredTicks => State.EnteredTicks;

    public int Step
    {
        get => State.Step;
        set => State.Step = value;
    }

    public long ArrivedTicks
    {
        get => State.ArrivedTicks;
        set => State.ArrivedTicks = value;
    }

    /// <summary>Bumped on every arrival, so a timer scheduled for an earlier arrival is recognised as stale.</summary>
    public int Arrival
    {
        get => State.Arrival;
        set => State.Arrival = value;
    }

    /// <summary>The goal was reached in this entry: with <c>exit: false</c> a customer converts at most once per entry.</summary>
    public bool Converted
    {
        get => State.Converted;
        set => State.Converted = value;
    }

    /// <summary>Names this arrival for a step timer: the entry and the arrival, so a timer set for an earlier arrival or
    /// an earlier entry is recognised as stale when it fires.</summary>
    public long StepToken => ((long)Sequence << 32) | (uint)Arrival;

    /// <summary>The run's case key as text (<c>case:</c>), or null for a journey without cases.</summary>
    public string? Case => Heap?.CaseKey;

    /// <summary>The properties of the event that entered the run, or null (an inline run keeps none).</summary>
    public IReadOnlyDictionary<string, object?>? EntryProperties => Heap?.EntryProperties;

    /// <summary>The next open run of the same journey (a journey with <c>case:</c> keeps its runs in a list, in entry
    /// order), or null.</summary>
    public JourneyInstance? NextCase => Heap?.Next is { } next ? new JourneyInstance(next) : null;

    public bool Equals(JourneyInstance other) =>
        ReferenceEquals(_owner, other._owner) && _journey == other._journey && _sequence == other._sequence;

    public override bool Equals(object? obj) => obj is JourneyInstance other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(_owner), _journey, _sequence);

    public static bool operator ==(JourneyInstance left, JourneyInstance right) => left.Equals(right);

    public static bool operator !=(JourneyInstance left, JourneyInstance right) => !left.Equals(right);
}

/// <summary>A run's state: a plain run's, inline in its <see cref="JourneyMemory"/> (32 bytes, no object); a run kept
/// as an object holds one too (<see cref="EnteredRun.State"/>).</summary>
internal struct InlineRun
{
    public long EnteredTicks;
    public long ArrivedTicks;
    public int Version;
    private int _sequence; // the sign bit holds Live
    private int _step;     // the sign bit holds Converted
    public int Arrival;

    /// <summary>A live run at its entry (step 0, no arrival yet).</summary>
    public InlineRun(int version, int sequence, long enteredTicks)
    {
        Version = version;
        _sequence = sequence | int.MinValue;
        EnteredTicks = enteredTicks;
    }

    /// <summary>The run's sequence (0: none was ever entered inline).</summary>
    public readonly int Sequence => _sequence & int.MaxValue;

    /// <summary>The run is open: set on entry, cleared when it ends (the rest stays, for handles read after the end).</summary>
    public bool Live
    {
        readonly get => _sequence < 0;
        set => _sequence = value ? _sequence | int.MinValue : _sequence & int.MaxValue;
    }

    public int Step
    {
        readonly get => _step & int.MaxValue;
        set => _step = (value & int.MaxValue) | (_step & int.MinValue);
    }

    public bool Converted
    {
        readonly get => _step < 0;
        set => _step = value ? _step | int.MinValue : _step & int.MaxValue;
    }
}
