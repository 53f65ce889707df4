using Journeys.Diagnostics;
using Journeys.Tests.Support;

namespace Journeys.Tests.Loading;

/// <summary>Unknown keys (with "did you mean"), missing keys and malformed ids, each at its line and column.</summary>
public sealed class KeyDiagnosticsTests
{
    [Fact]
    public void UnknownTopLevelKey_TypoOfSteps_SuggestsSteps()
    {
        var catalog = Diagnose.Load("""
            journey: typo
            entry: { on: signed_up }
            start: a
            stpes:
              a:
            """);

        var d = Diagnose.Has(catalog, Diagnose.Error, DiagnosticCodes.UnknownKey, "j.yaml:4:1");
        Assert.Equal("unknown key 'stpes' in a journey (did you mean 'steps'?); allowed keys are journey, version, description, entry, reentry, exit, goal, versioning, start, steps, calendar, case, maxCases", d.Message);
        Assert.Empty(catalog.Journeys);
    }

    [Fact]
    public void UnknownStepKey_TypoOfSend_SuggestsSend()
    {
        var catalog = Diagnose.Load("""
            journey: typo
            entry: { on: signed_up }
            start: a
            steps:
              a:
                sned: { channel: push, template: t }
            """);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.UnknownKey, "j.yaml:6:5");
        Assert.StartsWith("unknown key 'sned' in step 'a' (did you mean 'send'?)", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownTransitionKey_TypoOfAfter_SuggestsAfter()
    {
        var catalog = Diagnose.Load("""
            journey: typo
            entry: { on: signed_up }
            start: a
            steps:
              a:
                then:
                  - afer: 7d
                    goto: end
            """);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.UnknownKey, "j.yaml:7:9");
        Assert.StartsWith("unknown key 'afer' in a transition (did you mean 'after'?)", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownEntryKey_TypoOfIf_SuggestsIf()
    {
        var catalog = Diagnose.Load("""
            journey: typo
            entry:
              on: signed_up
              iff: "customer.country != 'test'"
            start: a
            steps:
              a:
            """);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.UnknownKey, "j.yaml:4:3");
        Assert.StartsWith("unknown key 'iff' in entry (did you mean 'if'?)", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownFlowMappingKey_InSend_IsReportedAtTheKeyInsideTheBraces()
    {
        var catalog = Diagnose.Load("""
            journey: typo
            entry: { on: signed_up }
            start: a
            steps:
              a:
                send: { channel: push, templte: t }
            """);

        var unknown = Diagnose.Has(catalog, Diagnose.Error, DiagnosticCodes.UnknownKey, "j.yaml:6:28");
        Assert.Contains("(did you mean 'template'?)", unknown.Message, StringComparison.Ordinal);
        Diagnose.Has(catalog, Diagnose.Error, DiagnosticCodes.MissingKey, "j.yaml:6:11");
    }

    [Fact]
    public void UnknownPolicyKey_TypoOfQuietHours_SuggestsQuietHours()
    {
        var catalog = Diagnose.Load("""
            policy:
              quietHour: { from: "21:00", to: "08:00" }
            """, "policy.yaml");

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.UnknownKey, "policy.yaml:2:3");
        Assert.StartsWith("unknown key 'quietHour' in policy (did you mean 'quietHours'?)", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownKey_NothingClose_ListsAllowedKeysWithoutSuggestion()
    {
        var catalog = Diagnose.Load("""
            journey: colours
            colour: red
            entry: { on: signed_up }
            start: a
            steps:
              a:
            """);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.UnknownKey, "j.yaml:2:1");
        Assert.Equal("unknown key 'colour' in a journey; allowed keys are journey, version, description, entry, reentry, exit, goal, versioning, start, steps, calendar, case, maxCases", d.Message);
    }

    [Fact]
    public void MissingStart_JourneyWithSteps_IsReportedAtTheTopOfTheJourney()
    {
        var catalog = Diagnose.Load("""
            journey: no-start
            entry: { on: signed_up }
            steps:
              a:
            """);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.MissingKey, "j.yaml:1:1");
        Assert.Equal("missing 'start': the name of the first step", d.Message);
        Assert.Empty(catalog.Journeys);
    }

    [Fact]
    public void MissingSteps_Journey_IsReportedAtTheTopOfTheJourney()
    {
        var catalog = Diagnose.Load("""
            journey: no-steps
            entry: { on: signed_up }
            start: a
            """);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.MissingKey, "j.yaml:1:1");
        Assert.StartsWith("missing 'steps'", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingEntry_Journey_IsReportedAtTheTopOfTheJourney()
    {
        var catalog = Diagnose.Load("""
            journey: no-entry
            start: a
            steps:
              a:
            """);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.MissingKey, "j.yaml:1:1");
        Assert.StartsWith("missing 'entry'", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Entry_TwoKinds_IsReportedAtTheEntryMapping()
    {
        var catalog = Diagnose.Load("""
            journey: two-entries
            entry:
              on: signed_up
              when: "true"
            start: a
            steps:
              a:
            """);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.InvalidValue, "j.yaml:3:3");
        Assert.Equal("entry needs exactly one of: on, when, inactive, date, schedule (found on, when)", d.Message);
    }

    [Fact]
    public void JourneyId_WithUppercaseAndUnderscore_IsReportedAtTheId()
    {
        var catalog = Diagnose.Load("""
            journey: New_Customer
            entry: { on: signed_up }
            start: a
            steps:
              a:
            """);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.InvalidValue, "j.yaml:1:10");
        Assert.Contains("'New_Customer' must be lowercase letters, digits and dashes", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TopLevel_MappingWithoutJourneyOrPolicy_IsReportedAtTheTop()
    {
        var catalog = Diagnose.Load("""
            name: forgot-the-journey-key
            """);

        Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.MissingKey, "j.yaml:1:1");
    }
}
