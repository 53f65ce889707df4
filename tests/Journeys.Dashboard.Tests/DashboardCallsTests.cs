using System.Text.Json;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.State;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Journeys.Dashboard.Tests;

/// <summary>The dashboard counts a journey's calls (<c>call:</c>): the journey page's funnel has a Called and a Calls failed
/// column per step, the journeys page a Called column, and <c>/api/counts</c> both, from a host whose journey calls a real
/// registered action that answers one customer and refuses the other.</summary>
public sealed class DashboardCallsTests : IDisposable
{
    private const string Credit = """
        journey: credit
        entry: { on: order_completed }
        start: ask
        steps:
          ask:
            call: { action: points-credit }
            then:
              - { on: $done, goto: end }
              - { on: $failed, goto: end }
              - { after: 1d, goto: end }
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("journeys-dashboard-calls-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Calls_AnsweredAndGivenUp_ShownInTheFunnelTheJourneysPageAndTheCounts()
    {
        File.WriteAllText(Path.Combine(_folder, "credit.yaml"), Credit);
        await using var host = DashboardFactory.Create(("Journeys:Folder", _folder));
        await using var factory = host.WithWebHostBuilder(web =>
            web.ConfigureTestServices(services => services.AddSingleton<IJourneyAction>(new LoyaltyCredit())));
        using var client = factory.Client();
        var engine = factory.Services.GetRequiredService<JourneyEngine>();

        foreach (var customer in new[] { "ok-1", "ok-2", "closed-1" })
        {
            await engine.PublishAsync(new CustomerEvent(customer, "order_completed", DashboardFactory.Start));
        }

        await engine.DrainAsync(); // the answers too, applied in the partitions
        var funnel = await client.GetStringAsync("/journeys/journeys/credit");
        var journeys = await client.GetStringAsync("/journeys/");
        var counts = JsonDocument.Parse(await client.GetStringAsync("/journeys/api/counts")).RootElement.EnumerateArray()
            .Single(e => e.GetProperty("journey").GetString() == "credit");

        Assert.Contains("<th>Failed</th><th>Called</th><th>Calls failed</th>", funnel, StringComparison.Ordinal);
        Assert.Matches("<tr><td>ask</td><td>3</td>.*?<td data-count=\"called\">2</td><td data-count=\"calls-failed\">1</td>", funnel);
        Assert.Matches("<tr><td><em>\\(journey\\)</em></td><td>3</td>.*?<td>0</td><td data-count=\"called\">2</td><td data-count=\"calls-failed\">1</td>", funnel);
        Assert.Matches("data-journey=\"credit\">.*?<td data-count=\"called\">2</td>", journeys);
        Assert.Equal((3, 2, 1), (counts.GetProperty("entered").GetInt64(), counts.GetProperty("called").GetInt64(), counts.GetProperty("callsFailed").GetInt64()));
    }

    /// <summary>Answers every customer but those whose id starts with <c>closed</c>, whom it refuses for good.</summary>
    private sealed class LoyaltyCredit : IJourneyAction
    {
        public string Name => "points-credit"; // not the sample's loyalty-credit, which the dashboard sample registers

        public ValueTask<ActionResult> InvokeAsync(ActionRequest request, CancellationToken cancellationToken) =>
            ValueTask.FromResult(request.CustomerId.StartsWith("closed", StringComparison.Ordinal)
                ? ActionResult.Permanent("account closed")
                : ActionResult.Done());
    }
}
