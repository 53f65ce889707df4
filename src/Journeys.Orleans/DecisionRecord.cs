using Journeys.Decisions;

namespace Journeys.Orleans;

/// <summary>One decision as it crosses an Orleans stream (<see cref="JourneysSiloOptions.DecisionStreamProvider"/>): a
/// flat, serializable copy of a <see cref="JourneyDecision"/> with the shard that made it. Names are the CLI's
/// (<c>entered</c>, <c>sent</c>, <c>marketing</c>); the typed reason stays in the silo, its text travels.</summary>
[GenerateSerializer]
[Immutable]
[Alias("Journeys.Orleans.DecisionRecord")]
public sealed class DecisionRecord
{
    /// <summary>The shard that made it (also the stream's key).</summary>
    [Id(0)] public int Shard { get; init; }

    /// <summary><see cref="JourneyDecision.Timestamp"/>.</summary>
    [Id(1)] public DateTimeOffset Timestamp { get; init; }

    /// <summary><see cref="JourneyDecision.CustomerId"/>.</summary>
    [Id(2)] public string CustomerId { get; init; } = "";

    /// <summary><see cref="JourneyDecision.JourneyId"/>.</summary>
    [Id(3)] public string JourneyId { get; init; } = "";

    /// <summary><see cref="JourneyDecision.Version"/>.</summary>
    [Id(4)] public int Version { get; init; }

    /// <summary><see cref="JourneyDecision.Step"/>.</summary>
    [Id(5)] public string Step { get; init; } = "";

    /// <summary>What was decided, as <see cref="JourneyDecision.KindName"/> names it (<c>entered</c>, <c>moved</c>, ...).</summary>
    [Id(6)] public string Kind { get; init; } = "";

    /// <summary><see cref="JourneyDecision.Channel"/>.</summary>
    [Id(7)] public string? Channel { get; init; }

    /// <summary><see cref="JourneyDecision.Template"/>.</summary>
    [Id(8)] public string? Template { get; init; }

    /// <summary><see cref="JourneyDecision.Category"/> in lower case (<c>marketing</c>, <c>transactional</c>), or null.</summary>
    [Id(9)] public string? Category { get; init; }

    /// <summary><see cref="JourneyDecision.Tier"/>.</summary>
    [Id(10)] public string? Tier { get; init; }

    /// <summary><see cref="JourneyDecision.Reason"/> (the reason's text).</summary>
    [Id(11)] public string? Reason { get; init; }

    /// <summary><see cref="JourneyDecision.From"/>.</summary>
    [Id(12)] public string? From { get; init; }

    /// <summary><see cref="JourneyDecision.Case"/>.</summary>
    [Id(13)] public string? Case { get; init; }

    /// <summary><see cref="JourneyDecision.Sequence"/>.</summary>
    [Id(14)] public long Sequence { get; init; }

    /// <summary>The flat copy of <paramref name="decision"/>, made by <paramref name="shard"/>.</summary>
    /// <param name="shard">The shard that made it.</param>
    /// <param name="decision">The decision.</param>
    /// <returns>The record.</returns>
    public static DecisionRecord FromDecision(int shard, JourneyDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return new DecisionRecord
        {
            Shard = shard,
            Timestamp = decision.Timestamp,
            CustomerId = decision.CustomerId,
            JourneyId = decision.JourneyId,
            Version = decision.Version,
            Step = decision.Step,
            Kind = decision.KindName,
            Channel = decision.Channel,
            Template = decision.Template,
            Category = decision.Category?.ToString().ToLowerInvariant(),
            Tier = decision.Tier,
            Reason = decision.Reason,
            From = decision.From,
            Case = decision.Case,
            Sequence = decision.Sequence,
        };
    }
}
