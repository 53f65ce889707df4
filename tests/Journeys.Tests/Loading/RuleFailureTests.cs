using System.Diagnostics.Metrics;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.State;
using Journeys.Tests.Runtime;
using Journeys.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using static Journeys.Tests.Runtime.Sim;

namespace Journeys.Tests.Loading;

/// <summary>A rule that fails to evaluate for a customer (here: <c>Substring</c> past the end of a short code) counts as
/// not holding, and is never silent: a <c>failed</c> decision <c>rule-error:Workflow.Rule: message</c> where it was
/// evaluated, a <c>RuleFailed</c> log and the <c>journeys.rules.errors</c> counter. A missing trait is not a failure.</summary>
public sealed class RuleFailureTests : IDisposable
{
    private const string Codes = """
        {
          "WorkflowName": "Codes",
          "Rules": [
            { "RuleName": "Premium", "Expression": "customer.code.Substring(0, 3) == \"VIP\"" },
            { "RuleName": "Long", "Expression": "customer.code.Length > 5" }
          ]
        }
        """;

    private readonly TempFolder _folder = new();

    public RuleFailureTests()
    {
        _folder.Write("rules/codes.json", Codes);
        _folder.Write("j.yaml", """
            journey: j
            entry: { on: signed_up, if: "rule('Codes.Premium')" }
            reentry: always
            start: a
            steps:
              a:
                then: [ { if: "rule('Codes.Long')", goto: b }, { after: 1d, goto: b } ]
              b:
            """);
    }

    public void Dispose() => _folder.Dispose();

    private JourneyCatalog Catalog()
    {
        var catalog = JourneyLoader.LoadFolder(_folder.Path);
        Diagnose.Clean(catalog);
        return catalog;
    }

    [Fact]
    public void Rule_ThatFailsForACustomer_CountsAsFalseAndIsAFailedDecisionWithTheRuleAndTheError()
    {
        var script = new Script()
            .Identify("ok", T, traits: ("code", "VIP-1234"))
            .Identify("bad", T, traits: ("code", "V"))
            .Track("ok", "signed_up", T.AddMinutes(1))
            .Track("bad", "signed_up", T.AddMinutes(1));

        var decisions = new Simulator(Catalog()).Run(script.Inputs, T.AddHours(1));

        Assert.Equal(["entered", "moved", "completed"], decisions.Where(d => d.CustomerId == "ok").Select(d => d.KindName));
        var failed = Assert.Single(decisions, d => d.CustomerId == "bad");
        Assert.Equal((DecisionKind.Failed, "j", 1, "a", null, null), (failed.Kind, failed.JourneyId, failed.Version, failed.Step, failed.Channel, failed.Template));
        Assert.Equal((ReasonKind.RuleError, "Codes.Premium"), (failed.Why!.Kind, failed.Why.Rule));
        Assert.False(string.IsNullOrWhiteSpace(failed.Why.Message));
        Assert.Equal($"rule-error:Codes.Premium: {failed.Why.Message}", failed.Reason);
    }

    [Fact]
    public void Rule_MissingTrait_DoesNotHoldAndIsNoFailure()
    {
        var decisions = new Simulator(Catalog()).Run(new Script().Track("none", "signed_up", T).Inputs, T.AddHours(1));

        Assert.Empty(decisions);
    }

    [Fact]
    public void Rule_ReadingAMemberATraitsValueHasNot_IsAFailureNotAMissingTrait()
    {
        // 'Long' reads customer.code.Length: the trait is there, but a number has no Length.
        var script = new Script().Identify("c1", T, traits: ("code", 12.0)).Track("c1", "signed_up", T);
        _folder.Write("j.yaml", """
            journey: j
            entry: { on: signed_up, if: "rule('Codes.Long')" }
            start: a
            steps:
              a:
            """);

        var failed = Assert.Single(new Simulator(Catalog()).Run(script.Inputs, T));

        Assert.Equal((DecisionKind.Failed, "Codes.Long"), (failed.Kind, failed.Why!.Rule));
        Assert.Contains("'Length'", failed.Why.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rule_FailingInAnArrivalBranch_IsReportedAtThatStepAndTheNextBranchIsTaken()
    {
        _folder.Write("k.yaml", """
            journey: k
            entry: { on: joined }
            start: a
            steps:
              a:
                then: [ { if: "rule('Codes.Premium')", goto: b }, { goto: c } ]
              b:
              c:
            """);
        var script = new Script().Identify("c1", T, traits: ("code", "V")).Track("c1", "joined", T);

        var decisions = new Simulator(Catalog()).Run(script.Inputs, T);

        Assert.Equal(["entered a", "failed a", "moved c", "completed c"], decisions.Select(d => $"{d.KindName} {d.Step}"));
        Assert.Equal(("k", ReasonKind.RuleError, "Codes.Premium"), (decisions[1].JourneyId, decisions[1].Why!.Kind, decisions[1].Why!.Rule));
        Assert.Equal(ReasonKind.Always, decisions[2].Why!.Kind);
    }

    [Fact]
    public void Rule_FailingAgainForTheSameTraits_IsReportedOnce_AndAgainAfterTheTraitsChange()
    {
        var script = new Script()
            .Identify("bad", T, traits: ("code", "V"))
            .Track("bad", "signed_up", T.AddMinutes(1))
            .Track("bad", "signed_up", T.AddMinutes(2)) // the same traits: the result is known, false
            .Identify("bad", T.AddMinutes(3), traits: ("code", "W"))
            .Track("bad", "signed_up", T.AddMinutes(4));

        var failed = new Simulator(Catalog()).Run(script.Inputs, T.AddHours(1)).Where(d => d.Kind == DecisionKind.Failed).Select(d => d.Timestamp);

        Assert.Equal([T.AddMinutes(1), T.AddMinutes(4)], failed);
    }

    [Fact]
    public async Task Engine_RuleFailure_IsLoggedAndCountedByRule()
    {
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var errors = new MetricCollector<long>(meters, "Journeys", "journeys.rules.errors");
        var logs = new FakeLogCollector();
        var decisions = new List<JourneyDecision>();
        await using var engine = new JourneyEngineBuilder()
            .UseCatalog(Catalog())
            .AddChannel(new RecordingChannel())
            .UseMeterFactory(meters)
            .UseLoggerFactory(new LoggerFactory([new FakeLoggerProvider(logs)]))
            .Build();
        engine.Decisions.Subscribe(d => { lock (decisions) { decisions.Add(d); } });
        engine.Start();

        await engine.IdentifyAsync(new CustomerProfile("bad", new Dictionary<string, object?> { ["code"] = "V" }));
        await engine.PublishAsync(new CustomerEvent("bad", "signed_up"));
        await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);

        var measurement = Assert.Single(errors.GetMeasurementSnapshot());
        Assert.Equal((1L, "Codes.Premium"), (measurement.Value, measurement.Tags["rule"]));
        var log = Assert.Single(logs.GetSnapshot(), r => r.Id.Name == "RuleFailed");
        Assert.Equal((LogLevel.Warning, 30), (log.Level, log.Id.Id));
        Assert.StartsWith("Rule Codes.Premium failed to evaluate for customer bad in journey j at step a, and counts as not holding: ", log.Message,
            StringComparison.Ordinal);
        lock (decisions)
        {
            Assert.Equal(ReasonKind.RuleError, Assert.Single(decisions, d => d.Kind == DecisionKind.Failed).Why!.Kind);
        }
    }
}
