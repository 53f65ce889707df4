using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Journeys.Engine;
using Journeys.State;
using Microsoft.Extensions.DependencyInjection;

namespace Journeys.Dashboard.Tests;

/// <summary>The dashboard's endpoints on the sample host (WebApplicationFactory): the pages and their content, read-only
/// unless the host opts into controls, every control refused without an antiforgery token, and the host's authorization
/// policy over every endpoint.</summary>
public sealed partial class DashboardEndpointTests
{
    private const string Nurture = "new-customer-nurture";

    private static async Task<JourneyEngine> SignUpAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> factory, params string[] customers)
    {
        var engine = factory.Services.GetRequiredService<JourneyEngine>();
        foreach (var customer in customers)
        {
            await engine.PublishAsync(new CustomerEvent(customer, "signed_up"));
        }

        await engine.DrainAsync();
        return engine;
    }

    [Fact]
    public async Task Journeys_CountsSinceStart_ListedPerJourneyAndAsJson()
    {
        await using var factory = DashboardFactory.Create();
        using var client = factory.Client();
        await SignUpAsync(factory, "c1", "c2");

        var page = await client.GetStringAsync("/journeys/");
        var counts = JsonDocument.Parse(await client.GetStringAsync("/journeys/api/counts")).RootElement;

        Assert.Contains($"<tr data-journey=\"{Nurture}\">", page, StringComparison.Ordinal);
        Assert.Matches($"data-journey=\"{Nurture}\">.*?<td data-count=\"entered\">2</td>", page);
        var nurture = counts.EnumerateArray().Single(e => e.GetProperty("journey").GetString() == Nurture);
        Assert.Equal((2, false), (nurture.GetProperty("entered").GetInt64(), nurture.GetProperty("paused").GetBoolean()));
        var catalog = factory.Services.GetRequiredService<JourneyEngine>().Catalog.Journeys.Select(j => j.Id).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(catalog, counts.EnumerateArray().Select(e => e.GetProperty("journey").GetString()!).Order(StringComparer.Ordinal)); // every sample journey
    }

    [Fact]
    public async Task Journey_Page_HasTheMermaidGraphTheFunnelAndTheEmbeddedScript()
    {
        await using var factory = DashboardFactory.Create();
        using var client = factory.Client();
        await SignUpAsync(factory, "c1");

        var page = await client.GetStringAsync($"/journeys/journeys/{Nurture}");
        using var script = await client.GetAsync("/journeys/assets/mermaid.min.js");
        var body = await script.Content.ReadAsStringAsync();

        Assert.Contains("<pre class=\"mermaid\" id=\"graph\">stateDiagram-v2", page, StringComparison.Ordinal);
        Assert.Contains("<script src=\"/journeys/assets/mermaid.min.js\"></script>", page, StringComparison.Ordinal);
        Assert.Contains("<table id=\"funnel\">", page, StringComparison.Ordinal);
        // Nothing is loaded from elsewhere (a CDN): every src and href is on this host. Not a search for "cdn" in the whole
        // page: the antiforgery token is random text and holds "CdN" now and then.
        var urls = Regex.Matches(page, "(?:src|href)=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("/journeys/assets/mermaid.min.js", urls);
        Assert.All(urls, url => Assert.False(url.Contains("//", StringComparison.Ordinal) || url.Contains("cdn", StringComparison.OrdinalIgnoreCase), url));
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("globalThis[\"mermaid\"] = globalThis.__esbuild_esm_mermaid_nm[\"mermaid\"].default;\n", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/journeys/journeys/no-such-journey")).StatusCode);
    }

    [Fact]
    public async Task Customer_Lookup_ShowsRunsTimersAndTheTimeline()
    {
        await using var factory = DashboardFactory.Create();
        using var client = factory.Client();
        await SignUpAsync(factory, "c1");

        var page = await client.GetStringAsync("/journeys/customers?id=c1");
        var unknown = await client.GetStringAsync("/journeys/customers?id=nobody");

        Assert.Matches($"<table id=\"runs\">.*<td>{Nurture}</td><td>1</td>", page);
        Assert.Matches("<table id=\"timeline\">.*entered.*on signed_up", page);
        Assert.Contains("<table id=\"timers\">", page, StringComparison.Ordinal);
        Assert.Contains("The engine has not heard of customer <strong>nobody</strong>.", unknown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Controls_ByDefault_ReadOnly_NoButtonAndNoEndpoint()
    {
        await using var factory = DashboardFactory.Create(("Dashboard:EnableControls", "false"));
        using var client = factory.Client();

        var page = await client.GetStringAsync("/journeys/");
        using var post = await client.PostAsync($"/journeys/journeys/{Nurture}/pause", new FormUrlEncodedContent([]));

        Assert.DoesNotContain("method=\"post\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain(">Pause<", page, StringComparison.Ordinal);
        Assert.False(post.IsSuccessStatusCode);
        Assert.True(post.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, post.StatusCode.ToString());
        Assert.Empty(factory.Services.GetRequiredService<JourneyEngine>().PausedJourneys);
    }

    [Fact]
    public async Task Controls_WithoutAntiforgeryToken_Refused_WithTheToken_PauseAndResume()
    {
        await using var factory = DashboardFactory.Create(("Dashboard:EnableControls", "true"));
        using var client = factory.Client();
        var engine = factory.Services.GetRequiredService<JourneyEngine>();

        using var bare = await client.PostAsync($"/journeys/journeys/{Nurture}/pause", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, bare.StatusCode);
        Assert.Empty(engine.PausedJourneys);

        var page = await client.GetStringAsync($"/journeys/journeys/{Nurture}"); // sets the antiforgery cookie
        var field = TokenField().Match(page);
        Assert.True(field.Success, "the page has a control form with the antiforgery token");
        using var forged = await client.PostAsync($"/journeys/journeys/{Nurture}/pause",
            new FormUrlEncodedContent([new(field.Groups["name"].Value, "not-the-token")]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Empty(engine.PausedJourneys);

        using var pause = await client.PostAsync($"/journeys/journeys/{Nurture}/pause",
            new FormUrlEncodedContent([new(field.Groups["name"].Value, WebUtility.HtmlDecode(field.Groups["value"].Value))]));
        Assert.Equal(HttpStatusCode.Redirect, pause.StatusCode);
        Assert.Equal([Nurture], engine.PausedJourneys);
        await SignUpAsync(factory, "c9");
        Assert.Empty((await engine.InspectCustomerAsync("c9"))?.Runs ?? []); // refused while paused

        var paused = await client.GetStringAsync($"/journeys/journeys/{Nurture}");
        Assert.Contains(">Resume<", paused, StringComparison.Ordinal);
        field = TokenField().Match(paused);
        using var resume = await client.PostAsync($"/journeys/journeys/{Nurture}/resume",
            new FormUrlEncodedContent([new(field.Groups["name"].Value, WebUtility.HtmlDecode(field.Groups["value"].Value))]));
        Assert.Equal(HttpStatusCode.Redirect, resume.StatusCode);
        Assert.Empty(engine.PausedJourneys);
    }

    [Fact]
    public async Task Authorization_HostPolicy_AppliesToEveryDashboardEndpoint()
    {
        await using var factory = DashboardFactory.Create(("Dashboard:RequireOperators", "true"));
        using var anonymous = factory.Client();
        using var guest = factory.Client(role: "guest");
        using var operatorClient = factory.Client(role: "operator");

        foreach (var path in new[] { "/journeys/", "/journeys/api/counts", $"/journeys/journeys/{Nurture}", "/journeys/customers?id=c1", "/journeys/assets/mermaid.min.js" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await guest.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await operatorClient.GetAsync(path)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"/journeys/journeys/{Nurture}/pause", new FormUrlEncodedContent([]))).StatusCode);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]+)\">")]
    private static partial Regex TokenField();
}
