namespace Journeys.State;

/// <summary>A send waiting for quiet hours to end or a cap to free a slot. It remembers where it came from, so it goes
/// out with the same idempotency key even if the customer has moved on to another step since. A 48-byte value, kept in
/// an array of exactly the customer's waiting sends (<see cref="CustomerState.Deferred"/>).</summary>
/// <param name="Journey">The journey's index in the model.</param>
/// <param name="Version">The journey version the send was decided in.</param>
/// <param name="Sequence">The instance's sequence number (part of the idempotency key).</param>
/// <param name="Step">The step's index in the journey.</param>
/// <param name="SendIndex">The send's index in the step.</param>
/// <param name="DeferredAtTicks">When it was first deferred.</param>
/// <param name="RetryAtTicks">When it is tried again.</param>
/// <param name="Reason">Why it waits (<c>quiet-hours</c>, <c>cap:normal</c>): a new deferred decision is recorded only when this changes.</param>
/// <param name="Case">The case key of the run that held it (a journey with <c>case:</c>), else null.</param>
internal readonly record struct DeferredSend(int Journey, int Version, int Sequence, int Step, int SendIndex, long DeferredAtTicks,
    long RetryAtTicks, string? Reason, string? Case = null);
