namespace Journeys.Delivery;

/// <summary>An action a journey calls in a <c>call: { action: NAME, with: { ... } }</c> step: the loyalty system that
/// credits points, a CRM that opens a ticket. The engine waits in the step for its answer: a JSON object the step's
/// transitions read as <c>result.&lt;field&gt;</c> after <c>on: $done</c>, or <c>on: $failed</c> when the call gave up.
/// <para>Registered like channels (<c>JourneyEngineBuilder.AddAction</c>) and delivered like sends: through the outbox,
/// with an idempotency key that stays the same across retries and restarts, under the same resilience pipeline
/// (<see cref="ChannelDeliveryOptions"/>). One <see cref="InvokeAsync"/> is one attempt; a transient failure is
/// <see cref="ActionResult.Retry(string)"/> rather than thrown, a refusal that will not change
/// <see cref="ActionResult.Permanent"/>.</para></summary>
public interface IJourneyAction
{
    /// <summary>The name journeys use in <c>call: { action: ... }</c>; non-empty and the same for the action's life.</summary>
    string Name { get; }

    /// <summary>Makes one attempt at the call and says how it went. Throwing counts as a retryable failure.</summary>
    /// <param name="request">The call: its arguments evaluated, its idempotency key.</param>
    /// <param name="cancellationToken">Cancelled when the attempt times out or the engine stops.</param>
    ValueTask<ActionResult> InvokeAsync(ActionRequest request, CancellationToken cancellationToken);
}
