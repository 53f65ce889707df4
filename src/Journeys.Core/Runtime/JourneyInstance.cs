namespace Journeys.Runtime;

/// <summary>A customer inside a journey: where they are and since when.</summary>
internal sealed class JourneyInstance
{
    public required int JourneyIndex { get; init; }

    public required int Version { get; init; }

    /// <summary>A number unique per customer and journey (1 for the first entry), part of idempotency keys.</summary>
    public required int Sequence { get; init; }

    public required long EnteredTicks { get; init; }

    public int Step { get; set; }

    public long ArrivedTicks { get; set; }

    /// <summary>Bumped on every arrival, so a timer scheduled for an earlier arrival is recognised as stale.</summary>
    public int Arrival { get; set; }

    /// <summary>The goal was reached in this entry: with <c>exit: false</c> a customer converts at most once per entry.</summary>
    public bool Converted { get; set; }
}
