namespace Journeys.State;

/// <summary>A customer inside a journey: where they are and since when. 48 bytes: the journey is the index of the
/// <see cref="JourneyMemory"/> that holds the instance, and <see cref="Converted"/> shares a word with the step. A run that
/// keeps more (a case key, its entering event) is an <see cref="EnteredRun"/>; journeys that need neither pay nothing for them.</summary>
internal class JourneyInstance
{
    private int _step; // the sign bit holds Converted

    public required int Version { get; init; }

    /// <summary>A number unique per customer and journey (1 for the first entry), part of idempotency keys.</summary>
    public required int Sequence { get; init; }

    public required long EnteredTicks { get; init; }

    public int Step
    {
        get => _step & int.MaxValue;
        set => _step = (value & int.MaxValue) | (_step & int.MinValue);
    }

    public long ArrivedTicks { get; set; }

    /// <summary>Bumped on every arrival, so a timer scheduled for an earlier arrival is recognised as stale.</summary>
    public int Arrival { get; set; }

    /// <summary>Names this arrival for a step timer: the entry and the arrival, so a timer set for an earlier arrival or
    /// an earlier entry is recognised as stale when it fires.</summary>
    public long StepToken => ((long)Sequence << 32) | (uint)Arrival;

    /// <summary>The run's case key as text (<c>case:</c>), or null for a journey without cases.</summary>
    public string? Case => (this as EnteredRun)?.CaseKey;

    /// <summary>The next open run of the same journey (a journey with <c>case:</c> keeps its runs in a list from
    /// <see cref="JourneyMemory.Instance"/>, in entry order), or null.</summary>
    public JourneyInstance? NextCase => (this as EnteredRun)?.Next;

    /// <summary>The goal was reached in this entry: with <c>exit: false</c> a customer converts at most once per entry.</summary>
    public bool Converted
    {
        get => _step < 0;
        set => _step = value ? _step | int.MinValue : _step & int.MaxValue;
    }
}
