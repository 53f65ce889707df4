using System.Globalization;

namespace Journeys.Decisions;

/// <summary>The reasons of journeys with <c>case:</c>: an entry refused for want of a key, or because the customer has
/// <c>maxCases</c> runs open.</summary>
public sealed partial record DecisionReason
{
    /// <summary>The <c>maxCases</c> limit, for <see cref="ReasonKind.CasesFull"/> (else null).</summary>
    public int? MaxCases { get; private init; }

    /// <summary><see cref="ReasonKind.NoCase"/>: <c>no case: event.ticketId is null</c>.</summary>
    public static DecisionReason NoCase(string caseKey) => new(ReasonKind.NoCase, $"no case: {caseKey} is null") { Expression = caseKey };

    /// <summary><see cref="ReasonKind.CasesFull"/>: <c>maxCases 20 reached</c>.</summary>
    public static DecisionReason CasesFull(int maxCases) =>
        new(ReasonKind.CasesFull, string.Create(CultureInfo.InvariantCulture, $"maxCases {maxCases} reached")) { MaxCases = maxCases };
}
