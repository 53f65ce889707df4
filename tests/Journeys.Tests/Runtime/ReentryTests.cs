using static Journeys.Tests.Runtime.Sim;

namespace Journeys.Tests.Runtime;

/// <summary><c>reentry: never | always | &lt;gap&gt;</c>: whether a customer who entered before may enter again, measured
/// between entries; nobody enters a journey they are still inside.</summary>
public sealed class ReentryTests
{
    /// <summary>Enters on signed_up, waits 7 days, completes.</summary>
    private static string Waiting(string reentry) => $$"""
        journey: onboarding
        version: 1
        entry: { on: signed_up }
        reentry: {{reentry}}
        start: welcome
        steps:
          welcome:
            send: { channel: email, template: onboarding/welcome }
            then:
              - after: 7d
                goto: end
        """;

    private static List<string> Entries(string reentry, params DateTimeOffset[] signUps)
    {
        var script = new Script();
        foreach (var at in signUps)
        {
            script.Track("c1", "signed_up", at);
        }

        return Lines(Run(Waiting(reentry), script, T.AddDays(400))).Where(l => l.Contains(" entered ", StringComparison.Ordinal)).ToList();
    }

    [Fact]
    public void ReentryNever_SecondSignUpAfterCompletion_IsIgnored()
    {
        var lines = Lines(Run(Waiting("never"), new Script()
            .Track("c1", "signed_up", T)
            .Track("c1", "signed_up", T.AddDays(30)), T.AddDays(60)));

        Assert.Equal(
        [
            "2026-01-05T10:00:00Z c1 entered welcome (on signed_up)",
            "2026-01-05T10:00:00Z c1 sent welcome email:onboarding/welcome",
            "2026-01-12T10:00:00Z c1 completed welcome (after 7d)",
        ], lines);
    }

    [Fact]
    public void ReentryAlways_SignUpAfterCompletion_EntersAgain()
    {
        var lines = Lines(Run(Waiting("always"), new Script()
            .Track("c1", "signed_up", T)
            .Track("c1", "signed_up", T.AddDays(8)), T.AddDays(60)));

        Assert.Equal(
        [
            "2026-01-05T10:00:00Z c1 entered welcome (on signed_up)",
            "2026-01-05T10:00:00Z c1 sent welcome email:onboarding/welcome",
            "2026-01-12T10:00:00Z c1 completed welcome (after 7d)",
            "2026-01-13T10:00:00Z c1 entered welcome (on signed_up)",
            "2026-01-13T10:00:00Z c1 sent welcome email:onboarding/welcome",
            "2026-01-20T10:00:00Z c1 completed welcome (after 7d)",
        ], lines);
    }

    [Fact]
    public void ReentryAlways_SignUpWhileInside_IsIgnoredAndDoesNotRestartTheTimer()
    {
        var lines = Lines(Run(Waiting("always"), new Script()
            .Track("c1", "signed_up", T)
            .Track("c1", "signed_up", T.AddDays(3)), T.AddDays(60)));

        Assert.Equal(
        [
            "2026-01-05T10:00:00Z c1 entered welcome (on signed_up)",
            "2026-01-05T10:00:00Z c1 sent welcome email:onboarding/welcome",
            "2026-01-12T10:00:00Z c1 completed welcome (after 7d)",
        ], lines);
    }

    [Fact]
    public void ReentryAlways_SignUpAtTheInstantOfCompletion_EntersAgain()
    {
        // The timer due at that instant fires before the event applies.
        var entries = Entries("always", T, T.AddDays(7));

        Assert.Equal(["2026-01-05T10:00:00Z c1 entered welcome (on signed_up)", "2026-01-12T10:00:00Z c1 entered welcome (on signed_up)"], entries);
    }

    [Fact]
    public void ReentryGap_ExactlyTheGapAfterTheLastEntry_EntersAgain()
    {
        var entries = Entries("90d", T, T.AddDays(90));

        Assert.Equal(["2026-01-05T10:00:00Z c1 entered welcome (on signed_up)", "2026-04-05T10:00:00Z c1 entered welcome (on signed_up)"], entries);
    }

    [Fact]
    public void ReentryGap_OneTickShortOfTheGap_IsRefused()
    {
        var entries = Entries("90d", T, T.AddDays(90).AddTicks(-1));

        Assert.Equal(["2026-01-05T10:00:00Z c1 entered welcome (on signed_up)"], entries);
    }

    [Fact]
    public void ReentryGap_RefusedAttempt_DoesNotRestartTheGap()
    {
        // The gap runs from the last entry, not from the last refused attempt.
        var entries = Entries("90d", T, T.AddDays(60), T.AddDays(90));

        Assert.Equal(["2026-01-05T10:00:00Z c1 entered welcome (on signed_up)", "2026-04-05T10:00:00Z c1 entered welcome (on signed_up)"], entries);
    }

    [Fact]
    public void ReentryGap_ThirdEntry_CountsFromTheSecond()
    {
        var entries = Entries("90d", T, T.AddDays(100), T.AddDays(189), T.AddDays(190));

        Assert.Equal(
        [
            "2026-01-05T10:00:00Z c1 entered welcome (on signed_up)",
            "2026-04-15T10:00:00Z c1 entered welcome (on signed_up)",
            "2026-07-14T10:00:00Z c1 entered welcome (on signed_up)",
        ], entries);
    }

    [Fact]
    public void ReentryNever_IsPerCustomer_AnotherCustomerStillEnters()
    {
        var lines = Lines(Run(Waiting("never"), new Script()
            .Track("c1", "signed_up", T)
            .Track("c2", "signed_up", T.AddDays(1)), T.AddDays(1)));

        Assert.Equal("2026-01-06T10:00:00Z c2 entered welcome (on signed_up)", lines[2]);
    }
}
