using Journeys.Engine;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Journeys.Dashboard;

/// <summary>Mounts the dashboard into the host's ASP.NET Core app.</summary>
public static class JourneysDashboardEndpointRouteBuilderExtensions
{
    /// <summary>Maps the dashboard under <paramref name="prefix"/>: <c>{prefix}/</c> the journeys with live counts,
    /// <c>{prefix}/journeys/{id}</c> a journey's graph and funnel, <c>{prefix}/customers?id=</c> the customer lookup,
    /// <c>{prefix}/api/counts</c> the counts as JSON, <c>{prefix}/assets/mermaid.min.js</c> the embedded script; and, only
    /// when <see cref="JourneysDashboardOptions.EnableControls"/> is set, <c>POST {prefix}/journeys/{id}/pause</c> and
    /// <c>/resume</c>, each refused with 400 without a valid antiforgery token. Call
    /// <see cref="JourneysDashboardServiceCollectionExtensions.AddJourneysDashboard"/> first.</summary>
    /// <param name="endpoints">The app (or any endpoint route builder).</param>
    /// <param name="prefix">Where the dashboard lives, such as <c>/journeys</c>.</param>
    /// <returns>The convention builder of every dashboard endpoint: the host protects them all with
    /// <c>.RequireAuthorization("policy")</c>. Without it the dashboard is open to anyone who reaches the app.</returns>
    /// <exception cref="InvalidOperationException">The dashboard's services, or the engine, are not registered.</exception>
    public static IEndpointConventionBuilder MapJourneysDashboard(this IEndpointRouteBuilder endpoints, string prefix = "/journeys")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        var services = endpoints.ServiceProvider;
        if (services.GetService<IOptions<JourneysDashboardOptions>>() is null || services.GetService<IAntiforgery>() is null ||
            services.GetService<JourneyEngine>() is null)
        {
            throw new InvalidOperationException(
                "MapJourneysDashboard needs the engine and the dashboard's services: call services.AddJourneys(...) (or register a JourneyEngine) " +
                "and services.AddJourneysDashboard() before building the app.");
        }

        var recorder = services.GetRequiredService<DashboardRecorder>(); // subscribes now: counts start with the host
        var options = services.GetRequiredService<IOptions<JourneysDashboardOptions>>().Value;
        var trimmed = prefix.TrimEnd('/');
        var group = endpoints.MapGroup(trimmed.Length == 0 ? "/" : trimmed);
        group.MapGet("/", (HttpContext context) =>
            Page(DashboardPages.Journeys(options, BasePath(context, trimmed), recorder.Engine, Report(recorder), FormFor(context, options))));
        group.MapGet("/api/counts", () => Results.Json(DashboardPages.AllCounts(recorder.Engine, Report(recorder))));
        group.MapGet("/journeys/{id}", (HttpContext context, string id) =>
            DashboardPages.Current(recorder.Engine).FirstOrDefault(j => j.Id == id) is { } journey
                ? Page(DashboardPages.Journey(options, BasePath(context, trimmed), recorder.Engine, journey, Report(recorder), FormFor(context, options)))
                : Results.NotFound($"No journey '{id}'."));
        group.MapGet("/customers", async (HttpContext context, string? id) =>
        {
            var view = string.IsNullOrEmpty(id) ? null : await recorder.Engine.InspectCustomerAsync(id, context.RequestAborted).ConfigureAwait(false);
            return Page(DashboardPages.Customer(options, BasePath(context, trimmed), id, view, string.IsNullOrEmpty(id) ? [] : recorder.TimelineOf(id)));
        });
        group.MapGet("/assets/mermaid.min.js", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=86400";
            return Results.Stream(typeof(DashboardRecorder).Assembly.GetManifestResourceStream("Journeys.Dashboard.mermaid.min.js")!, "text/javascript; charset=utf-8");
        });
        if (options.EnableControls)
        {
            group.MapPost("/journeys/{id}/pause", (HttpContext context, string id) => Control(context, trimmed, recorder.Engine, id, pause: true));
            group.MapPost("/journeys/{id}/resume", (HttpContext context, string id) => Control(context, trimmed, recorder.Engine, id, pause: false));
        }

        return group;
    }

    private static IResult Page(string html) => Results.Content(html, "text/html; charset=utf-8");

    private static Journeys.Analytics.FunnelReport Report(DashboardRecorder recorder) => recorder.Funnel.Report(recorder.Engine.Catalog.Journeys);

    private static string BasePath(HttpContext context, string prefix) => context.Request.PathBase.Add(new PathString(prefix)).Value ?? "";

    /// <summary>The antiforgery token for the page's control forms; null when controls are off (no form is shown).</summary>
    private static DashboardPages.Form? FormFor(HttpContext context, JourneysDashboardOptions options)
    {
        if (!options.EnableControls)
        {
            return null;
        }

        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return new DashboardPages.Form(tokens.FormFieldName, tokens.RequestToken!);
    }

    /// <summary>Pause or resume: the antiforgery token checked first (400 without a valid one), then the engine's control;
    /// back to the journey's page (303).</summary>
    private static async Task<IResult> Control(HttpContext context, string prefix, JourneyEngine engine, string id, bool pause)
    {
        try
        {
            await context.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(context).ConfigureAwait(false);
        }
        catch (AntiforgeryValidationException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Antiforgery token missing or invalid", detail: ex.Message);
        }

        try
        {
            _ = pause ? await engine.PauseJourneyAsync(id, context.RequestAborted).ConfigureAwait(false)
                      : await engine.ResumeJourneyAsync(id, context.RequestAborted).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such journey", detail: ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: pause ? "Not paused" : "Not resumed", detail: ex.Message);
        }

        var back = context.Request.Headers.Referer.ToString();
        var basePath = BasePath(context, prefix);
        return Results.Redirect(Uri.TryCreate(back, UriKind.Absolute, out var referer) && referer.AbsolutePath.StartsWith(basePath, StringComparison.Ordinal)
            ? referer.PathAndQuery
            : $"{basePath}/journeys/{Uri.EscapeDataString(id)}", permanent: false, preserveMethod: false);
    }
}
