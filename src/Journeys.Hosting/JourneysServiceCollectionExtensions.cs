using System.Diagnostics.Metrics;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Hosting;
using Journeys.Persistence;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Journeys engine with a host, the Microsoft.Extensions way. The core needs none of this: a
/// <see cref="JourneyEngineBuilder"/> alone builds the same engine.</summary>
public static class JourneysServiceCollectionExtensions
{
    /// <summary>Registers, each only if the host has not registered its own (<c>TryAdd</c>):
    /// <list type="bullet">
    /// <item><see cref="JourneysOptions"/>, configured by <paramref name="configure"/> and checked when the host starts;</item>
    /// <item><see cref="TimeProvider.System"/> as the <see cref="TimeProvider"/> (register a <c>FakeTimeProvider</c> in
    /// tests);</item>
    /// <item>the <see cref="JourneyEngine"/>, a singleton built on first use from the options, every registered
    /// <see cref="IChannel"/>, the <see cref="TimeProvider"/>, the <see cref="ILoggerFactory"/> and
    /// <see cref="IMeterFactory"/> when there are any, and an <see cref="IJourneyStore"/> when one is registered; each
    /// channel is delivered on with the <see cref="ChannelDeliveryOptions"/> named after it (queue, concurrency, and the
    /// channel's resilience pipeline — retries, circuit breaker, rate limit, attempt timeout:
    /// <c>services.Configure&lt;ChannelDeliveryOptions&gt;("sms", o =&gt; o.MaxAttempts = 5)</c>), the defaults when there
    /// are none, checked when the engine is built;</item>
    /// <item>a hosted service that starts the engine with the host and, when the host stops, drains it until the host's
    /// shutdown token or <see cref="JourneysOptions.DrainTimeout"/>.</item>
    /// </list>
    /// Inject <see cref="JourneyEngine"/> to publish events and observe decisions.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Sets the options (at least <see cref="JourneysOptions.Folder"/>).</param>
    /// <returns>A builder to register channels with.</returns>
    /// <example><code>
    /// builder.Services.AddJourneys(o => o.Folder = "journeys")
    ///     .AddWebhookChannel("loyalty", o => { o.Url = new Uri("https://loyalty.internal/hooks"); o.Secret = secret; })
    ///     .AddChannel&lt;MyPushChannel&gt;();
    /// </code></example>
    public static IJourneysBuilder AddJourneys(this IServiceCollection services, Action<JourneysOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<JourneysOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JourneysOptions>, JourneysOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(CreateEngine);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, JourneysHostedService>());
        return new JourneysBuilder(services);
    }

    private static JourneyEngine CreateEngine(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<JourneysOptions>>().Value;
        var builder = new JourneyEngineBuilder()
            .LoadFolder(options.FullFolder(services.GetService<IHostEnvironment>()?.ContentRootPath))
            .UseTimeProvider(services.GetRequiredService<TimeProvider>())
            .UseLoggerFactory(services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance)
            .Configure(options.ApplyTo);

        if (services.GetService<IMeterFactory>() is { } meters)
        {
            builder.UseMeterFactory(meters);
        }

        if (services.GetService<IJourneyStore>() is { } store)
        {
            builder.UseStore(store);
        }

        var delivery = services.GetRequiredService<IOptionsMonitor<ChannelDeliveryOptions>>();
        foreach (var channel in services.GetServices<IChannel>())
        {
            builder.AddChannel(channel, delivery.Get(channel.Name));
        }

        foreach (var action in services.GetServices<IJourneyAction>())
        {
            builder.AddAction(action, delivery.Get(JourneysBuilderExtensions.ActionOptionsName(action.Name))); // apart from a channel of the same name
        }

        return builder.Build();
    }
}
