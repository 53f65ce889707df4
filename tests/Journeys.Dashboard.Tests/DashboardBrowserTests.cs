using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Hosting;
using Journeys.Persistence;
using Journeys.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Journeys.Dashboard.Tests;

/// <summary>The dashboard in a real browser: headless Chromium driven by Selenium against a real Kestrel host on
/// loopback. It sees the counts and the graph drawn (Mermaid's SVG in the page), pauses a journey with its button and
/// sees new entries stop, resumes it and sees the count move again without reloading the page; it saves the
/// screenshot docs/operations.md shows (docs/images/dashboard.png).</summary>
public sealed class DashboardBrowserTests : IAsyncLifetime
{
    private const string Nurture = """
        journey: nurture
        description: New customers - a welcome, tips two days later, then an offer unless they ordered.
        entry: { on: signed_up }
        reentry: never
        goal: { on: order_completed, within: 30d }
        start: welcome
        steps:
          welcome:
            send: { channel: push, template: welcome }
            then:
              - after: 2d
                goto: tips
          tips:
            send: { channel: email, template: tips }
            then:
              - after: 5d
                goto: offer
          offer:
            send: { channel: sms, template: offer }
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("journeys-dashboard-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
    private WebApplication _app = null!;
    private string _url = "";

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "nurture.yaml"), Nurture);
        Directory.CreateDirectory(Path.Combine(_folder, "templates"));
        foreach (var template in new[] { "welcome", "tips", "offer" })
        {
            await File.WriteAllTextAsync(Path.Combine(_folder, "templates", template + ".liquid"), template + " for {{ customer.id }}");
        }

        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0"); // real Kestrel, a free loopback port
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddSingleton<IJourneyStore, InMemoryJourneyStore>();
        builder.Services.AddJourneys(o => o.Folder = _folder).AddChannel(new RecordingChannel());
        builder.Services.AddJourneysDashboard(o => (o.EnableControls, o.RefreshSeconds) = (true, 1));
        _app = builder.Build();
        _app.MapJourneysDashboard("/journeys");
        await _app.StartAsync();
        _url = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task SignUpAsync(params string[] customers)
    {
        var engine = _app.Services.GetRequiredService<JourneyEngine>();
        foreach (var customer in customers)
        {
            await engine.PublishAsync(new CustomerEvent(customer, "signed_up"));
        }

        await engine.DrainAsync();
    }

    private static ChromeDriver StartBrowser()
    {
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromiumFactAttribute.Driver)!, Path.GetFileName(ChromiumFactAttribute.Driver));
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = ChromiumFactAttribute.Browser };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1600,1000");
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    private static string Entered(IWebDriver browser) =>
        browser.FindElement(By.CssSelector("tr[data-journey='nurture'] td[data-count='entered']")).Text;

    [ChromiumFact]
    public async Task Browser_SeesCountsAndGraph_PausesAJourney_NewEntriesStop()
    {
        await SignUpAsync("c1", "c2", "c3");
        using var browser = StartBrowser();
        var wait = new WebDriverWait(browser, TimeSpan.FromSeconds(30));
        // The pages refresh their counts in place: an element read between its lookup and its text can be replaced.
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException));

        // The journeys page: the counts.
        browser.Navigate().GoToUrl(_url + "/journeys/");
        Assert.Equal("3", wait.Until(b => Entered(b) is "3" ? "3" : null));

        // The journey's page: Mermaid draws the graph as an SVG in the page; the screenshot for the docs.
        var engine = _app.Services.GetRequiredService<JourneyEngine>();
        await engine.PublishAsync(new CustomerEvent("c1", "order_completed"));
        _time.Advance(TimeSpan.FromDays(2));
        await engine.DrainAsync();
        browser.Navigate().GoToUrl(_url + "/journeys/journeys/nurture");
        var svg = wait.Until(b => b.FindElements(By.CssSelector("#graph svg")).FirstOrDefault());
        Assert.NotEmpty(svg.FindElements(By.CssSelector("g")));
        Assert.Contains("welcome", svg.Text, StringComparison.Ordinal);
        Assert.Contains("tips", svg.Text, StringComparison.Ordinal);
        browser.GetScreenshot().SaveAsFile(Screenshot());

        // Pause with the page's button: the page says so, and new sign-ups do not enter.
        browser.FindElement(By.CssSelector("button[name='pause'][data-journey='nurture']")).Click();
        Assert.Equal("paused: new entries are refused", wait.Until(b => b.FindElements(By.Id("state")).FirstOrDefault(e => e.Text.StartsWith("paused", StringComparison.Ordinal))?.Text));
        Assert.Equal(["nurture"], engine.PausedJourneys);
        await SignUpAsync("c4", "c5");
        browser.Navigate().GoToUrl(_url + "/journeys/");
        Assert.Equal("paused", wait.Until(b => b.FindElement(By.CssSelector("tr[data-journey='nurture'] td[data-count='state']")).Text));
        Assert.Equal("3", wait.Until(b => Entered(b)));

        // Resume from the journeys page; a sign-up now enters, and the page's refresh shows it without a reload.
        browser.FindElement(By.CssSelector("button[name='resume'][data-journey='nurture']")).Click();
        Assert.Equal("running", wait.Until(b => b.FindElement(By.CssSelector("tr[data-journey='nurture'] td[data-count='state']")).Text is "running" ? "running" : null));
        await SignUpAsync("c6");
        Assert.Equal("4", wait.Until(b => Entered(b) is "4" ? "4" : null));
    }

    /// <summary>docs/images/dashboard.png in the repository (found from the test's folder upwards).</summary>
    private static string Screenshot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Journeys.sln")))
        {
            folder = folder.Parent;
        }

        var images = Path.Combine(folder?.FullName ?? Path.GetTempPath(), "docs", "images");
        Directory.CreateDirectory(images);
        return Path.Combine(images, "dashboard.png");
    }
}
