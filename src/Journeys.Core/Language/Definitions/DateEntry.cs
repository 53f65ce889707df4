namespace Journeys.Language.Definitions;

/// <summary><c>entry: { date: { trait: birthday, every: year, offset: -7d, at: "09:00" } }</c>: entered at a local time
/// derived from a date trait of the customer.</summary>
/// <param name="Trait">The trait holding the date or timestamp.</param>
/// <param name="EveryYear">True for a yearly anniversary (birthdays); false for the one date itself.</param>
/// <param name="Offset">Moves the date; negative for "before".</param>
/// <param name="At">The local time of day in the customer's time zone.</param>
internal sealed record DateEntry(string Trait, bool EveryYear, TimeSpan Offset, TimeOnly At) : EntryDefinition
{
    /// <summary><c>lunar: true</c>: the trait's date is read in the Chinese lunisolar calendar, and the entry repeats on
    /// that lunar month and day each year (a lunar birthday).</summary>
    public bool Lunar { get; init; }

    /// <inheritdoc />
    public override string Describe() =>
        $"date {Trait}{(Lunar ? " lunar" : "")}{(EveryYear ? " every year" : "")}{(Offset == TimeSpan.Zero ? "" : " offset " + Duration.Format(Offset))} at {At:HH\\:mm}";
}
