using Journeys.Delivery;

namespace Journeys.Decisions;

/// <summary>One decision of the engine, as operators read it: when, who, which journey and step, what and why.</summary>
public sealed record JourneyDecision
{
    /// <summary>When it was decided (the virtual time in simulation).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The customer's id.</summary>
    public required string CustomerId { get; init; }

    /// <summary>The journey's id.</summary>
    public required string JourneyId { get; init; }

    /// <summary>The journey's version.</summary>
    public required int Version { get; init; }

    /// <summary>The step concerned (for a move: the step arrived at).</summary>
    public required string Step { get; init; }

    /// <summary>What was decided.</summary>
    public required DecisionKind Kind { get; init; }

    /// <summary>For sends: the channel.</summary>
    public string? Channel { get; init; }

    /// <summary>For sends: the template.</summary>
    public string? Template { get; init; }

    /// <summary>For sends: marketing or transactional.</summary>
    public MessageCategory? Category { get; init; }

    /// <summary>For sends: the customer's tier when it was decided (the tier whose caps applied).</summary>
    public string? Tier { get; init; }

    /// <summary>Why, typed: the exit rule, the cap, the timer or branch that fired, what failed (null for <c>sent</c>, and
    /// for <c>completed</c> at a step without a <c>then</c>). Switch on its <see cref="DecisionReason.Kind"/>.</summary>
    public DecisionReason? Why { get; init; }

    /// <summary>Why, as operators read it (<see cref="DecisionReason.Text"/>: <c>cap:normal</c>, <c>on signed_up</c>);
    /// <c>journeys simulate</c> writes it as <c>reason</c>. For display: code reads <see cref="Why"/>.</summary>
    public string? Reason => Why?.Text;

    /// <summary>For moves: the step left.</summary>
    public string? From { get; init; }

    /// <summary>The run's case key, as text, for a journey with <c>case:</c> (<c>journeys simulate</c> writes it as
    /// <c>case</c>); null for a journey without cases.</summary>
    public string? Case { get; init; }

    /// <summary>Orders a customer's decisions made at the same instant (increasing per partition); a failed delivery's
    /// is <see cref="long.MaxValue"/>, after everything else decided for the customer at that instant.</summary>
    public long Sequence { get; internal init; }

    /// <summary>The <c>failed</c> decision for a message whose delivery gave up, at <paramref name="at"/> or the time the
    /// message was decided, whichever is later. Sorted after everything else decided for the customer at that instant.</summary>
    internal static JourneyDecision DeliveryFailed(OutboundMessage message, DateTimeOffset at, string? reason) => new()
    {
        Timestamp = at > message.Timestamp ? at : message.Timestamp,
        CustomerId = message.CustomerId,
        JourneyId = message.JourneyId,
        Version = message.JourneyVersion,
        Step = message.Step,
        Kind = DecisionKind.Failed,
        Channel = message.Channel,
        Template = message.Template,
        Category = message.Category,
        Why = reason is null ? null : DecisionReason.Delivery(reason),
        Sequence = long.MaxValue,
    };

    /// <summary>The decision's name as the CLI prints it (<c>entered</c>, <c>moved</c>, ...).</summary>
    public string KindName => Kind switch
    {
        DecisionKind.Entered => "entered",
        DecisionKind.Moved => "moved",
        DecisionKind.Sent => "sent",
        DecisionKind.Suppressed => "suppressed",
        DecisionKind.Deferred => "deferred",
        DecisionKind.Failed => "failed",
        DecisionKind.Goal => "goal",
        DecisionKind.Exited => "exited",
        DecisionKind.Updated => "updated",
        DecisionKind.Emitted => "emitted",
        DecisionKind.Called => "called",
        DecisionKind.Completed => "completed",
        _ => throw new InvalidOperationException($"decision kind {Kind} has no name"),
    };
}
