using Journeys.Decisions;

namespace Journeys.Policy;

/// <summary>What the pace gate says of a send: go, wait until <see cref="RetryAtTicks"/>, or suppressed, with the reason
/// (<c>cap:normal</c>, <c>quiet-hours</c>, <c>consent</c>).</summary>
internal readonly record struct GateVerdict(GateOutcome Outcome, DecisionReason? Reason, long RetryAtTicks)
{
    public static GateVerdict Allow { get; } = new(GateOutcome.Allow, null, 0);

    public static GateVerdict Suppress(DecisionReason reason) => new(GateOutcome.Suppress, reason, 0);

    public static GateVerdict Defer(DecisionReason reason, long retryAtTicks) => new(GateOutcome.Defer, reason, retryAtTicks);
}
