using System.Runtime.InteropServices;
using Journeys.State;

namespace Journeys.Timers;

/// <summary>A timer in a partition's queue: 32 bytes, its heap key (the due time and the order it was scheduled in)
/// inside it. Entries are never removed early: a timer whose <see cref="Token"/> no longer matches the customer's state
/// when it comes due is stale and ignored (cheaper than removal from a heap).</summary>
[StructLayout(LayoutKind.Auto)]
internal readonly struct TimerEntry
{
    private readonly uint _journeyAndKind; // the journey's index above the kind's byte

    public TimerEntry(long dueTicks, CustomerState customer, int journey, TimerKind kind, long token)
    {
        if ((uint)journey > MaxJourney)
        {
            throw new ArgumentOutOfRangeException(nameof(journey), journey, $"at most {MaxJourney + 1} journeys per model");
        }

        DueTicks = dueTicks;
        Customer = customer;
        Token = token;
        _journeyAndKind = ((uint)journey << 8) | (byte)kind;
    }

    private TimerEntry(in TimerEntry entry, uint sequence)
    {
        this = entry;
        Sequence = sequence;
    }

    /// <summary>The highest journey index an entry can hold.</summary>
    public const int MaxJourney = (1 << 24) - 1;

    public long DueTicks { get; }

    public CustomerState Customer { get; }

    /// <summary>What the timer was scheduled for (a step arrival, a pending check's time), compared when it fires.</summary>
    public long Token { get; }

    /// <summary>The order the entry was queued in, among entries due at the same time (set by <see cref="TimerQueue"/>).</summary>
    public uint Sequence { get; }

    public int Journey => (int)(_journeyAndKind >> 8);

    public TimerKind Kind => (TimerKind)(byte)_journeyAndKind;

    /// <summary>This entry with <paramref name="sequence"/> as its order among entries due at the same time.</summary>
    public TimerEntry WithSequence(uint sequence) => new(this, sequence);

    /// <summary>True when this entry fires before <paramref name="other"/>: earlier due, or queued first.</summary>
    public bool Precedes(in TimerEntry other) =>
        DueTicks < other.DueTicks || (DueTicks == other.DueTicks && Sequence < other.Sequence);
}
