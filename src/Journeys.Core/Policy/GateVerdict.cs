namespace Journeys.Policy;

/// <summary>What the pace gate says of a send: go, wait until <see cref="RetryAtTicks"/>, or suppressed, with the reason
/// (<c>cap:normal</c>, <c>quiet-hours</c>, <c>consent</c>).</summary>
internal readonly record struct GateVerdict(GateOutcome Outcome, string? Reason, long RetryAtTicks)
{
    public static GateVerdict Allow { get; } = new(GateOutcome.Allow, null, 0);

    public static GateVerdict Suppress(string reason) => new(GateOutcome.Suppress, reason, 0);

    public static GateVerdict Defer(string reason, long retryAtTicks) => new(GateOutcome.Defer, reason, retryAtTicks);
}
