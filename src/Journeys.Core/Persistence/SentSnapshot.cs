namespace Journeys.Persistence;

/// <summary>A marketing send that frequency caps still count.</summary>
/// <param name="At">When it was handed to its channel.</param>
/// <param name="Channel">The channel.</param>
/// <param name="JourneyId">The journey that sent it.</param>
internal sealed record SentSnapshot(DateTimeOffset At, string Channel, string JourneyId);
