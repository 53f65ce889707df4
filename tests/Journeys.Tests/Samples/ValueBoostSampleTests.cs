using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Sample;
using Journeys.State;
using Journeys.Testing;

namespace Journeys.Tests.Samples;

/// <summary>The sample value boost on an engine with the main sample's <see cref="LoyaltyLedger"/>: the double points are
/// credited once per customer of the campaign through <c>call: { action: loyalty-credit }</c>, never for the holdout;
/// when the ledger refuses, the run falls back to an agent task and the customer is told all the same.</summary>
public sealed class ValueBoostSampleTests
{
    private static readonly string Journeys = Path.Combine(AppContext.BaseDirectory, "samples", "journeys");
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly string[] Customers = [.. Enumerable.Range(0, 20).Select(i => $"v{i}")];

    /// <summary>Twenty active customers (an order, then two interactions a day apart) enter value boost; 16 days later the
    /// campaign's customers have reached its points step (a week of recommendations, a week of trial).</summary>
    private static async Task<JourneyHarness> RunAsync(LoyaltyLedger ledger)
    {
        var harness = JourneyHarness.FromFolder(Journeys, new JourneyHarnessOptions { Start = Start, ConfigureEngine = b => b.AddAction(ledger) });
        foreach (var id in Customers)
        {
            await harness.IdentifyAsync(new CustomerProfile(id, new Dictionary<string, object?> { ["firstName"] = id, ["spend12m"] = 300.0 }, "UTC"));
            await harness.PublishAsync(id, "order_completed", new Dictionary<string, object?> { ["amount"] = 80.0 });
        }

        for (var day = 0; day < 2; day++)
        {
            await harness.AdvanceAsync(TimeSpan.FromDays(1));
            foreach (var id in Customers)
            {
                await harness.PublishAsync(id, "interaction");
            }
        }

        await harness.AdvanceAsync(TimeSpan.FromDays(16));
        return harness;
    }

    private static List<string> At(JourneyHarness harness, string step) =>
        [.. harness.Decisions.Where(d => d is { JourneyId: "value-boost", Kind: DecisionKind.Moved } && d.Step == step).Select(d => d.CustomerId).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task ValueBoost_LedgerAnswering_CreditsEachCampaignCustomerOnce_AndTellsThem()
    {
        var ledger = new LoyaltyLedger();
        await using var harness = await RunAsync(ledger);

        var campaign = At(harness, "points");
        var holdout = At(harness, "holdout");
        Assert.NotEmpty(campaign);
        Assert.NotEmpty(holdout);
        Assert.Equal(Customers.Order(StringComparer.Ordinal), campaign.Concat(holdout).Order(StringComparer.Ordinal));
        var called = harness.Decisions.Where(d => d is { JourneyId: "value-boost", Kind: DecisionKind.Called }).ToList();
        Assert.Equal(campaign, called.Select(d => d.CustomerId).Order(StringComparer.Ordinal)); // once each, none for the holdout
        Assert.All(called, d => Assert.Equal(LoyaltyLedger.ActionName, d.Channel));
        Assert.Equal(campaign.Count, ledger.Credits);
        Assert.All(campaign, id => Assert.Equal(2, ledger.MultiplierAt(id, harness.Now)));          // the offer runs...
        Assert.All(campaign, id => Assert.Equal(1, ledger.MultiplierAt(id, harness.Now.AddDays(14)))); // ...14 days
        Assert.All(holdout, id => Assert.Equal(1, ledger.MultiplierAt(id, harness.Now)));
        Assert.Equal(campaign, At(harness, "points-notice"));
        Assert.Equal(campaign, harness.Sent.Where(m => m.Template == "boost/double-points-notice").Select(m => m.CustomerId).Order(StringComparer.Ordinal));
        Assert.Empty(At(harness, "points-by-hand"));
        Assert.DoesNotContain(harness.Sent, m => m.Template == "boost/double-points-by-hand");
    }

    [Fact]
    public async Task ValueBoost_LedgerClosed_FallsBackToAnAgentTask_AndStillTellsTheCustomer()
    {
        var ledger = new LoyaltyLedger { Closed = true };
        await using var harness = await RunAsync(ledger);

        var campaign = At(harness, "points");
        Assert.NotEmpty(campaign);
        var failed = harness.Decisions.Where(d => d is { JourneyId: "value-boost", Kind: DecisionKind.Failed }).ToList();
        Assert.Equal(campaign, failed.Select(d => d.CustomerId).Order(StringComparer.Ordinal));
        Assert.All(failed, d => Assert.Equal((LoyaltyLedger.ActionName, "the loyalty ledger is closed for maintenance"), (d.Channel, d.Reason)));
        Assert.Equal((0, campaign.Count), (ledger.Credits, ledger.Refused));
        Assert.Equal(campaign, At(harness, "points-by-hand"));
        var tasks = harness.Sent.Where(m => m.Template == "boost/double-points-by-hand").ToList();
        Assert.Equal(campaign, tasks.Select(m => m.CustomerId).Order(StringComparer.Ordinal));
        Assert.All(tasks, m => Assert.Equal(("agent-task", MessageCategory.Operational), (m.Channel, m.Category)));
        Assert.Equal(campaign, harness.Sent.Where(m => m.Template == "boost/double-points-notice").Select(m => m.CustomerId).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(harness.Decisions, d => d is { JourneyId: "value-boost", Kind: DecisionKind.Called });
    }

    [Fact]
    public async Task LoyaltyLedger_TheSameCallTwice_CreditsOnceAndAnswersTheFirstAnswer()
    {
        var ledger = new LoyaltyLedger();
        ledger.Earn("c1", 50, Start);
        var call = new ActionRequest
        {
            IdempotencyKey = "value-boost:1:c1:1:points:call",
            Action = LoyaltyLedger.ActionName,
            CustomerId = "c1",
            JourneyId = "value-boost",
            Step = "points",
            Timestamp = Start,
            Arguments = new Dictionary<string, object?> { ["multiplier"] = 2.0, ["days"] = 14.0 },
        };

        var first = await ledger.InvokeAsync(call, CancellationToken.None);
        ledger.Closed = true; // a repeat of a call already answered is answered again, not refused
        var again = await ledger.InvokeAsync(call, CancellationToken.None);

        Assert.Equal("""{"status":"ok","multiplier":2,"until":"2026-03-15T09:00:00Z","balance":50}""", System.Text.Json.JsonSerializer.Serialize(first.Result));
        Assert.Equal(first, again);
        Assert.Equal((1, 0), (ledger.Credits, ledger.Refused));
        Assert.Equal(50 + 80, ledger.Earn("c1", 40, Start.AddDays(1)));      // double points within the offer
        Assert.Equal(50 + 80 + 40, ledger.Earn("c1", 40, Start.AddDays(14))); // single again when it ended
    }
}
