using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Journeys.Orleans;

/// <summary>Adds Journeys to an Orleans silo.</summary>
public static class JourneysSiloBuilderExtensions
{
    /// <summary>Runs Journeys' shard grains on this silo with the given options (checked here: a wrong setting throws
    /// naming it), and registers an <see cref="IJourneyCluster"/> for code running in the silo. The silo also needs a grain
    /// storage named <see cref="JourneysSiloOptions.StorageName"/> and a reminder service; register an
    /// <see cref="IJourneyDecisionSink"/> to receive decisions.</summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configure">Sets the catalog, channels and the rest.</param>
    /// <returns>The silo builder.</returns>
    /// <exception cref="InvalidOperationException">An option is wrong (the message names each).</exception>
    public static ISiloBuilder AddJourneys(this ISiloBuilder builder, Action<JourneysSiloOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new JourneysSiloOptions();
        configure(options);
        options.Validate();
        builder.Services.AddSingleton(options);
        builder.Services.TryAddSingleton<IJourneyCluster>(sp => new JourneyCluster(sp.GetRequiredService<IGrainFactory>(), options.ShardCount));
        return builder;
    }

    /// <summary>Registers an <see cref="IJourneyCluster"/> for a client (or any host with an <see cref="IGrainFactory"/>)
    /// that routes to shards; <paramref name="shardCount"/> must be the silos' <see cref="JourneysSiloOptions.ShardCount"/>.</summary>
    /// <param name="services">The client's services.</param>
    /// <param name="shardCount">The number of shards (default 1,024).</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddJourneysCluster(this IServiceCollection services, int shardCount = JourneysSiloOptions.DefaultShardCount)
    {
        ArgumentNullException.ThrowIfNull(services);
        JourneyCluster.CheckShardCount(shardCount);
        services.TryAddSingleton<IJourneyCluster>(sp => new JourneyCluster(sp.GetRequiredService<IGrainFactory>(), shardCount));
        return services;
    }
}
