namespace Journeys.Persistence;

/// <summary>A send waiting for quiet hours to end or a cap to free a slot.</summary>
/// <param name="JourneyId">The sending journey.</param>
/// <param name="Version">Its version.</param>
/// <param name="Sequence">The customer's entry number (part of the idempotency key).</param>
/// <param name="Step">The step that sends it.</param>
/// <param name="SendIndex">Which send of the step.</param>
/// <param name="DeferredAt">When it first had to wait.</param>
/// <param name="RetryAt">When it is checked again.</param>
/// <param name="Reason">Why it waits (<c>quiet-hours</c>, <c>cap:normal</c>).</param>
internal sealed record DeferredSnapshot(string JourneyId, int Version, int Sequence, string Step, int SendIndex, DateTimeOffset DeferredAt,
    DateTimeOffset RetryAt, string? Reason)
{
    /// <summary>The case key of the run that held it (a journey with <c>case:</c>), else null. Format version 2.</summary>
    public string? Case { get; init; }
}
