namespace Journeys.Persistence;

/// <summary>A customer inside a journey.</summary>
/// <param name="JourneyId">The journey's id.</param>
/// <param name="Version">The version entered.</param>
/// <param name="Sequence">Which entry of the customer this is (1 for the first); part of idempotency keys.</param>
/// <param name="Step">The current step's name.</param>
/// <param name="EnteredAt">When the customer entered.</param>
/// <param name="ArrivedAt">When the customer arrived at the current step (timers run from here).</param>
/// <param name="Converted">Whether this entry already reached the goal (a goal with <c>exit: false</c> counts once).</param>
internal sealed record InstanceSnapshot(string JourneyId, int Version, int Sequence, string Step, DateTimeOffset EnteredAt, DateTimeOffset ArrivedAt,
    bool Converted = false)
{
    /// <summary>The run's case key (a journey with <c>case:</c>), else null. Format version 2.</summary>
    public string? Case { get; init; }

    /// <summary>The properties of the event that entered the run (what <c>entry.*</c> reads), kept for journeys that read
    /// them; else null. Format version 2.</summary>
    public IReadOnlyDictionary<string, object?>? Entry { get; init; }
}
