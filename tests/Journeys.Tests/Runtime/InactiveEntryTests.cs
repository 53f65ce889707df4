using static Journeys.Tests.Runtime.Sim;

namespace Journeys.Tests.Runtime;

/// <summary><c>entry: { inactive: { for: 90d, of: [...] } }</c>: entered exactly 90 days after the last of those events,
/// counting from first seen for a customer who never did any of them; activity resets the wait.</summary>
public sealed class InactiveEntryTests
{
    private static string Winback(string reentry = "never") =>
        SpecJourneys.OneStep("winback", "inactive: { for: 90d, of: [login, order_completed, interaction] }", reentry);

    private static List<string> Entries(Script script, DateTimeOffset until, string reentry = "never") =>
        Lines(Run(Winback(reentry), script, until)).Where(l => l.Contains(" entered ", StringComparison.Ordinal)).ToList();

    [Fact]
    public void InactiveEntry_NoActivityAfterALogin_EntersExactly90DaysLater()
    {
        var lines = Lines(Run(Winback(), new Script().Track("c1", "login", T.AddMinutes(17)), T.AddDays(200)));

        Assert.Equal(
        [
            "2026-04-05T10:17:00Z c1 entered hello (inactive 90d)",
            "2026-04-05T10:17:00Z c1 sent hello email:winback/hello",
            "2026-04-05T10:17:00Z c1 completed hello",
        ], lines);
    }

    [Fact]
    public void InactiveEntry_RunEndingOneSecondBefore90Days_HasNotEnteredYet()
    {
        var lines = Lines(Run(Winback(), new Script().Track("c1", "login", T), T.AddDays(90).AddSeconds(-1)));

        Assert.Empty(lines);
    }

    [Fact]
    public void InactiveEntry_ActivityDuringTheWait_RestartsThe90DaysFromIt()
    {
        var entries = Entries(new Script()
            .Track("c1", "login", T)
            .Track("c1", "interaction", T.AddDays(50))
            .Track("c1", "order_completed", T.AddDays(80).AddHours(2)), T.AddDays(400));

        Assert.Equal(["2026-06-24T12:00:00Z c1 entered hello (inactive 90d)"], entries);
    }

    [Fact]
    public void InactiveEntry_EventsNotListed_DoNotCountAsActivity()
    {
        var entries = Entries(new Script()
            .Track("c1", "login", T)
            .Track("c1", "page_view", T.AddDays(30))
            .Track("c1", "app_open", T.AddDays(60)), T.AddDays(200));

        Assert.Equal(["2026-04-05T10:00:00Z c1 entered hello (inactive 90d)"], entries);
    }

    [Fact]
    public void InactiveEntry_CustomerWithNoListedEventEver_CountsFromFirstSeen()
    {
        var entries = Entries(new Script()
            .Track("c1", "page_view", T.AddHours(5))
            .Track("c1", "page_view", T.AddDays(20)), T.AddDays(200));

        Assert.Equal(["2026-04-05T15:00:00Z c1 entered hello (inactive 90d)"], entries);
    }

    [Fact]
    public void InactiveEntry_CustomerFirstSeenByIdentify_CountsFromThatIdentify()
    {
        var entries = Entries(new Script().Identify("c1", T, traits: ("plan", "pro")), T.AddDays(200));

        Assert.Equal(["2026-04-05T10:00:00Z c1 entered hello (inactive 90d)"], entries);
    }

    [Fact]
    public void InactiveEntry_ReentryAlwaysWithoutNewActivity_EntersOnlyOnce()
    {
        var entries = Entries(new Script().Track("c1", "login", T), T.AddDays(400), reentry: "always");

        Assert.Equal(["2026-04-05T10:00:00Z c1 entered hello (inactive 90d)"], entries);
    }

    [Fact]
    public void InactiveEntry_ReentryAlwaysAndActivityAfterEntering_EntersAgain90DaysAfterThatActivity()
    {
        var entries = Entries(new Script()
            .Track("c1", "login", T)
            .Track("c1", "login", T.AddDays(100)), T.AddDays(400), reentry: "always");

        Assert.Equal(
        [
            "2026-04-05T10:00:00Z c1 entered hello (inactive 90d)",
            "2026-07-14T10:00:00Z c1 entered hello (inactive 90d)",
        ], entries);
    }

    [Fact]
    public void InactiveEntry_SeveralActivitiesAfterEntering_TheQuietPeriodRunsFromTheLast()
    {
        var entries = Entries(new Script()
            .Track("c1", "login", T)
            .Track("c1", "login", T.AddDays(100))
            .Track("c1", "interaction", T.AddDays(150)), T.AddDays(400), reentry: "always");

        Assert.Equal(
        [
            "2026-04-05T10:00:00Z c1 entered hello (inactive 90d)",
            "2026-09-02T10:00:00Z c1 entered hello (inactive 90d)",
        ], entries);
    }

    [Fact]
    public void InactiveEntry_TwoCustomers_EachCountsFromTheirOwnActivity()
    {
        var entries = Entries(new Script()
            .Track("c1", "login", T)
            .Track("c2", "login", T.AddDays(10)), T.AddDays(200));

        Assert.Equal(
        [
            "2026-04-05T10:00:00Z c1 entered hello (inactive 90d)",
            "2026-04-15T10:00:00Z c2 entered hello (inactive 90d)",
        ], entries);
    }
}
