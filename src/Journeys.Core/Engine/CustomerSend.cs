namespace Journeys.Engine;

/// <summary>A send counted for the caps.</summary>
/// <param name="At">When it was sent.</param>
/// <param name="Channel">The channel.</param>
/// <param name="Journey">The journey's id.</param>
public sealed record CustomerSend(DateTimeOffset At, string Channel, string Journey);
