namespace Journeys.Dashboard;

/// <summary>What the dashboard shows and allows; set with
/// <see cref="JourneysDashboardServiceCollectionExtensions.AddJourneysDashboard"/>.</summary>
public sealed class JourneysDashboardOptions
{
    /// <summary>Whether the dashboard offers operators' controls (pause and resume a journey). Default false: the
    /// dashboard is read-only, the control endpoints are not mapped at all, and no button is shown. Every control
    /// endpoint checks an antiforgery token; authorization is the host's (<c>RequireAuthorization</c> on what
    /// <c>MapJourneysDashboard</c> returns).</summary>
    public bool EnableControls { get; set; }

    /// <summary>The title of every page. Default <c>Journeys</c>.</summary>
    public string Title { get; set; } = "Journeys";

    /// <summary>How many customers' recent decisions the dashboard keeps in memory for the customer lookup's timeline;
    /// past it, the customer heard of least recently is forgotten. Default 10,000.</summary>
    public int TimelineCustomers { get; set; } = 10_000;

    /// <summary>How many of a customer's latest decisions the timeline keeps. Default 100.</summary>
    public int TimelineDecisionsPerCustomer { get; set; } = 100;

    /// <summary>How often, in seconds, the journeys page refreshes its counts. Default 2.</summary>
    public int RefreshSeconds { get; set; } = 2;
}
