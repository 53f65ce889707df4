namespace Journeys.Engine;

/// <summary>A customer's run of a journey.</summary>
/// <param name="Journey">The journey's id.</param>
/// <param name="Version">The version the run is in.</param>
/// <param name="Step">The step the customer stands at.</param>
/// <param name="EnteredAt">When the run entered the journey.</param>
/// <param name="ArrivedAt">When the customer arrived at the step.</param>
/// <param name="Converted">Whether the run reached the journey's goal.</param>
public sealed record CustomerRun(string Journey, int Version, string Step, DateTimeOffset EnteredAt, DateTimeOffset ArrivedAt, bool Converted)
{
    /// <summary>The run's case key, for a journey with <c>case:</c> (a customer may then have several runs of it); else null.</summary>
    public string? Case { get; init; }
}
