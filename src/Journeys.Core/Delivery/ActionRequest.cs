namespace Journeys.Delivery;

/// <summary>One call of an <see cref="IJourneyAction"/>, as the engine hands it over.</summary>
public sealed record ActionRequest
{
    /// <summary>Stable across retries and restarts (journey, version, customer, run, step and call): a receiver that
    /// sees it twice should answer the first call's result again rather than act twice.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>The action's name.</summary>
    public required string Action { get; init; }

    /// <summary>The customer's id.</summary>
    public required string CustomerId { get; init; }

    /// <summary>The journey that calls.</summary>
    public required string JourneyId { get; init; }

    /// <summary>The journey's version.</summary>
    public int JourneyVersion { get; init; }

    /// <summary>The step that calls.</summary>
    public required string Step { get; init; }

    /// <summary>When the engine decided the call (virtual time in simulation).</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>The <c>with:</c> arguments, each expression evaluated when the step was reached (null, bool, number as
    /// double, text, or a list of those), by name.</summary>
    public IReadOnlyDictionary<string, object?> Arguments { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, object?>.Empty;
}
