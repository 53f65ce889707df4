using Journeys.Decisions;

namespace Journeys.Tests.Decisions;

/// <summary>Every decision kind prints its own name (simulate, explain, scenarios and the report read it): a kind added
/// without one fails here instead of printing as another kind.</summary>
public sealed class DecisionKindNameTests
{
    [Fact]
    public void EveryKind_HasItsOwnLowerCaseName()
    {
        var names = Enum.GetValues<DecisionKind>()
            .Select(kind => new JourneyDecision { Timestamp = default, CustomerId = "c", JourneyId = "j", Version = 1, Step = "s", Kind = kind }.KindName)
            .ToList();

        Assert.Equal(Enum.GetValues<DecisionKind>().Select(kind => kind.ToString().ToLowerInvariant()), names);
    }
}
