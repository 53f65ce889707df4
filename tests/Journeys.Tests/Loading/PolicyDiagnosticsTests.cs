using Journeys.Diagnostics;
using Journeys.Language.Definitions;
using Journeys.Language.Loading;
using Journeys.Tests.Support;

namespace Journeys.Tests.Loading;

/// <summary>policy.yaml: caps must name known tiers and journeys; values must have the allowed shapes.</summary>
public sealed class PolicyDiagnosticsTests
{
    [Fact]
    public void Cap_NamingUnknownTier_IsReportedAtTheTierWithSuggestion()
    {
        var catalog = Diagnose.Load("""
            policy:
              tiers:
                high-value: "customer.spend12m >= 5000"
              frequency:
                - { tier: high-valu, max: 3, per: 7d }
            """, "policy.yaml");

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.UnknownTier, "policy.yaml:5:15");
        Assert.Equal("cap names unknown tier 'high-valu' (did you mean 'high-value'?); tiers are high-value, default", d.Message);
        Assert.Same(PolicyDefinition.Empty, catalog.PolicyDefinition);
    }

    [Fact]
    public void Cap_NamingATierWhoseConditionIsWrong_IsNoSecondError()
    {
        var catalog = Diagnose.Load("""
            policy:
              tiers:
                high-value: "customer.spend12m >="
                hii: "custmer.x == 1"
              frequency:
                - { tier: high-value, max: 3, per: 7d }
                - { tier: hi, max: 1, per: 7d }
            """, "policy.yaml");

        Assert.DoesNotContain(catalog.Diagnostics, d => d.Location.Line == 6);
        var d = Assert.Single(catalog.Diagnostics, x => x.Code == DiagnosticCodes.UnknownTier);
        Assert.Equal((7, 15), (d.Location.Line, d.Location.Column));
        Assert.StartsWith("cap names unknown tier 'hi' (did you mean 'hii'?)", d.Message, StringComparison.Ordinal);
        Assert.Equal(2, catalog.Diagnostics.Count(x => x.Location.Line is 3 or 4 && x.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void Cap_NamingTheDefaultTier_IsAccepted()
    {
        var catalog = Diagnose.Load("""
            policy:
              frequency:
                - { tier: default, max: 1, per: 1d }
            """, "policy.yaml");

        Diagnose.Clean(catalog);
        Assert.Equal("default", Assert.Single(catalog.Policy.Caps).Tier);
    }

    [Fact]
    public void Cap_NamingUnknownJourney_IsReportedAtTheJourneyWithSuggestion()
    {
        var catalog = JourneyLoader.LoadYaml(
            ("welcome.yaml", """
                journey: welcome
                entry: { on: signed_up }
                start: a
                steps:
                  a:
                """),
            ("policy.yaml", """
                policy:
                  frequency:
                    - { journey: welcom, max: 1, per: 1d }
                """));

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.InvalidValue, "policy.yaml:3:18");
        Assert.Equal("cap names unknown journey 'welcom' (did you mean 'welcome'?)", d.Message);
    }

    [Fact]
    public void WhenCapped_UnknownWord_IsReportedWithTheAllowedValues()
    {
        var catalog = Diagnose.Load("""
            policy:
              whenCapped: defr
            """, "policy.yaml");

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.InvalidValue, "policy.yaml:2:15");
        Assert.Equal("'whenCapped' must be one of skip, defer, not 'defr' (did you mean 'defer'?)", d.Message);
    }

    [Fact]
    public void CapMax_NotAWholeNumber_IsReportedAtTheValue()
    {
        var catalog = Diagnose.Load("""
            policy:
              frequency:
                - { max: lots, per: 7d }
            """, "policy.yaml");

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.InvalidValue, "policy.yaml:3:14");
        Assert.Equal("'max' must be a whole number from 0 to 1000000, not 'lots'", d.Message);
    }

    [Fact]
    public void TierCondition_WithEventInIt_IsUnknownNameBecauseNoEventIsAtHand()
    {
        var catalog = Diagnose.Load("""
            policy:
              tiers:
                buyer: "event.type == 'order_completed'"
            """, "policy.yaml");

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.UnknownName, "policy.yaml:3:13");
        Assert.StartsWith("'event.type' is not in scope: no event is at hand here", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defer_WithDeferFor_IsLoaded()
    {
        var catalog = Diagnose.Load("""
            policy:
              whenCapped: defer
              deferFor: 3d
            """, "policy.yaml");

        Diagnose.Clean(catalog);
        Assert.Equal((CappedAction.Defer, TimeSpan.FromDays(3)), (catalog.Policy.WhenCapped, catalog.Policy.DeferFor));
    }
}
