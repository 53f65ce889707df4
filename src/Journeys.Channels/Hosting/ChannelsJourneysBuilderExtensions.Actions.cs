using Journeys.Channels;
using Journeys.Delivery;
using Journeys.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The registration of this package's action: the HTTP action journeys call in <c>call:</c> steps.</summary>
public static partial class ChannelsJourneysBuilderExtensions
{
    /// <summary>Registers an <see cref="HttpJourneyAction"/> named <paramref name="name"/> as an
    /// <see cref="IJourneyAction"/> singleton. As with <see cref="AddWebhookChannel"/>: its options are named options
    /// under the action's name, checked when the host starts (a wrong setting fails the start, not the first call); the
    /// options' <see cref="HttpChannelOptions.TimeProvider"/> defaults to the registered <see cref="TimeProvider"/>. Its
    /// requests go through the <see cref="IHttpClientFactory"/> client named
    /// <see cref="JourneysBuilderExtensions.ActionOptionsName"/> of the action (<c>action:</c> and its name, so a channel
    /// of the same name keeps its own client), whose primary handler does not follow redirects, which a host can
    /// configure further with <c>services.AddHttpClient(JourneysBuilderExtensions.ActionOptionsName(name))</c>; its calls
    /// are delivered under the <see cref="ChannelDeliveryOptions"/> of that name.</summary>
    /// <param name="builder">The builder from <c>AddJourneys</c>.</param>
    /// <param name="name">The action name journeys use in <c>call: { action: ... }</c>.</param>
    /// <param name="configure">Sets the service's URL and, if wanted, the headers, the secret and the timeout.</param>
    /// <returns>The builder.</returns>
    public static IJourneysBuilder AddHttpAction(this IJourneysBuilder builder, string name, Action<HttpActionOptions> configure)
    {
        var services = AddHttpOptions(builder, name, JourneysBuilderExtensions.ActionOptionsName(name), configure, nameof(AddHttpAction), "action");
        services.AddSingleton<IJourneyAction>(sp => new HttpJourneyAction(
            sp.GetRequiredService<IOptionsMonitor<HttpActionOptions>>().Get(name), sp.GetRequiredService<IHttpClientFactory>()));
        return builder;
    }
}
