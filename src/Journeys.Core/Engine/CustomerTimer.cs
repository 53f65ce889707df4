namespace Journeys.Engine;

/// <summary>Something due for a customer.</summary>
/// <param name="DueAt">When it is due.</param>
/// <param name="Journey">The journey's id.</param>
/// <param name="Step">The step.</param>
/// <param name="What"><c>after 7d</c> for a step's timer; <c>held send: cap:normal</c> for a send waiting for a cap or quiet hours.</param>
public sealed record CustomerTimer(DateTimeOffset DueAt, string Journey, string Step, string What);
