namespace Journeys.Language.Definitions;

/// <summary><c>entry: { inactive: { for: 90d, of: [login, ...] } }</c>: entered when none of the events happened for that long.</summary>
/// <param name="For">How long the customer must have been inactive.</param>
/// <param name="Of">The event types that count as activity.</param>
internal sealed record InactivityEntry(TimeSpan For, IReadOnlyList<string> Of) : EntryDefinition
{
    /// <inheritdoc />
    public override string Describe() => $"inactive {Duration.Format(For)} of {string.Join(", ", Of)}";
}
