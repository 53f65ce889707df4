namespace Journeys.Runtime;

/// <summary>A send waiting for quiet hours to end or a cap to free a slot. It remembers where it came from, so it goes
/// out with the same idempotency key even if the customer has moved on to another step since.</summary>
internal sealed record DeferredSend(int Journey, int Version, int Sequence, int Step, int SendIndex, long DeferredAtTicks)
{
    public long RetryAtTicks { get; set; }

    /// <summary>Why it waits (<c>quiet-hours</c>, <c>cap:normal</c>): a new deferred decision is recorded only when this changes.</summary>
    public string? Reason { get; set; }
}
