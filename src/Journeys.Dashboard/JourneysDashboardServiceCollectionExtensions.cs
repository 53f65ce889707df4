using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Journeys.Dashboard;

/// <summary>Registers the dashboard's services.</summary>
public static class JourneysDashboardServiceCollectionExtensions
{
    /// <summary>Registers the dashboard: its options, the recorder that counts the engine's decisions for the funnel
    /// and the customer timelines (from the moment the dashboard is mapped), and ASP.NET Core antiforgery, which every
    /// control endpoint checks. The engine itself comes from <c>services.AddJourneys(...)</c> (Journeys.Hosting) or any
    /// registration of a <see cref="Journeys.Engine.JourneyEngine"/> singleton.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Sets the options; by default the dashboard is read-only.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddJourneysDashboard(this IServiceCollection services, Action<JourneysDashboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<JourneysDashboardOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o => o.TimelineCustomers > 0 && o.TimelineDecisionsPerCustomer > 0 && o.RefreshSeconds > 0,
            "JourneysDashboardOptions: TimelineCustomers, TimelineDecisionsPerCustomer and RefreshSeconds must be above 0.").ValidateOnStart();
        services.AddAntiforgery();
        services.TryAddSingleton<DashboardRecorder>();
        return services;
    }
}
