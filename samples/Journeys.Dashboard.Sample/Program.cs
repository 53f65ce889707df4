// A host with the Journeys dashboard: the engine (Journeys.Hosting) runs the sample journeys, a little generated
// traffic signs customers up, and /journeys shows the dashboard with pause and resume.
//
//   dotnet run --project samples/Journeys.Dashboard.Sample      then open http://localhost:5000/journeys
//
// Configuration (appsettings, environment or command line): Journeys:Folder (default: the sample journeys beside the
// program), Dashboard:EnableControls (default true), Dashboard:RequireOperators (default false: protect the dashboard
// with the "journeys-operators" policy, which needs an authenticated user in the role "operator" — plug in the host's
// authentication: cookies, OpenID Connect...), Sample:SignUpsPerSecond (default 1; 0: no generated traffic).
using Journeys.Dashboard;
using Journeys.Dashboard.Sample;
using Journeys.Delivery;
using Journeys.Hosting;
using Journeys.Persistence;

var builder = WebApplication.CreateBuilder(args);
var configuration = builder.Configuration;

builder.Services.AddSingleton<IJourneyStore, InMemoryJourneyStore>(); // keeps pauses; use SqliteJourneyStore for a durable one
builder.Services.AddJourneys(o => o.Folder = configuration["Journeys:Folder"] ?? Path.Combine(AppContext.BaseDirectory, "journeys"))
    .AddChannel(new RecordingChannel()) // stands in for every channel the journeys name
    .AddActions(ActionAnswers.ReadFile(Path.Combine(AppContext.BaseDirectory, "actions.json"))); // value boost's loyalty-credit, as samples/actions.json answers
builder.Services.AddJourneysDashboard(o => o.EnableControls = configuration.GetValue("Dashboard:EnableControls", true));
builder.Services.AddAuthorizationBuilder()
    .AddPolicy("journeys-operators", policy => policy.RequireAuthenticatedUser().RequireRole("operator"));
builder.Services.AddHostedService<SignUps>();

var app = builder.Build();
var dashboard = app.MapJourneysDashboard("/journeys");
if (configuration.GetValue("Dashboard:RequireOperators", false))
{
    dashboard.RequireAuthorization("journeys-operators");
}

app.MapGet("/", () => Results.Redirect("/journeys"));
app.Run();

/// <summary>The program, for WebApplicationFactory in the tests.</summary>
public partial class Program;
